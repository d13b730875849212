import CCurl  // curl.h includes <sys/socket.h>: SOCK_STREAM may be attributed to this module
import Glibc

/// The operating-system pieces outbound connections go through, swappable in tests.
///
/// `resolve` is called once per destination and `willConnect` right before each socket is
/// connected, whether by a probe or by the HTTP client; a test can therefore prove that a refused
/// destination was never connected to.
public struct OutboundNetwork: Sendable {
    /// Resolves a host name to addresses; throws `OutboundError.dnsFailure` when it has none.
    /// Runs on a dedicated thread, so it may block.
    public var resolve: @Sendable (_ host: String) throws -> [IPAddress]
    /// Observes every connection attempt (address and port) just before it is made.
    public var willConnect: @Sendable (_ address: IPAddress, _ port: Int) -> Void
    /// The addresses `resolve` would answer at once, without blocking (a cached answer); nil when
    /// it would have to look. Lets an event loop skip the hand-off to a lookup thread.
    public var knownAddresses: @Sendable (_ host: String) -> [IPAddress]?

    public init(
        resolve: @escaping @Sendable (String) throws -> [IPAddress],
        willConnect: @escaping @Sendable (IPAddress, Int) -> Void = { _, _ in },
        knownAddresses: @escaping @Sendable (String) -> [IPAddress]? = { _ in nil }
    ) {
        self.resolve = resolve
        self.willConnect = willConnect
        self.knownAddresses = knownAddresses
    }

    /// The system resolver (`getaddrinfo`) behind the shared 30-second `ResolverCache`, and no
    /// observer.
    public static let live = cached(.shared)

    /// Lookups through `cache`, and no observer.
    public static func cached(_ cache: ResolverCache) -> OutboundNetwork {
        OutboundNetwork(resolve: { try cache.resolve($0) }, knownAddresses: { cache.knownAddresses($0) })
    }
}

extension ResolverCache {
    /// What every client and prober uses unless given another network.
    public static let shared = system(lifetime: .seconds(30))

    /// A cache over the system resolver (`getaddrinfo`).
    public static func system(lifetime: Duration) -> ResolverCache {
        ResolverCache(lifetime: lifetime, lookUp: SystemResolver.resolve)
    }
}

/// `getaddrinfo`, reduced to the distinct addresses it returns.
enum SystemResolver {
    static func resolve(_ host: String) throws -> [IPAddress] {
        // RFC 6761: names under .invalid never resolve; answering at once spares a DNS round trip.
        let lowered = host.lowercased()
        if lowered == "invalid" || lowered.hasSuffix(".invalid") || lowered.hasSuffix(".invalid.") {
            throw OutboundError.dnsFailure(host: host)
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else { throw OutboundError.dnsFailure(host: host) }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr, let address = IPAddress(sockaddr: raw),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw OutboundError.dnsFailure(host: host) }
        return addresses
    }
}
