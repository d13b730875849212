/// Decides which addresses outbound connections may reach.
///
/// By default every public address is allowed and loopback, private, link-local, metadata,
/// multicast and other special-purpose blocks are refused (see `BlockedReason`). Entries of the
/// allow-list re-permit addresses, blocks or host names that would otherwise be refused.
public struct OutboundPolicy: Sendable {
    /// One allow-list entry.
    public enum AllowEntry: Hashable, Sendable, CustomStringConvertible {
        /// An address or CIDR block.
        case network(IPNetwork)
        /// A host name exactly as written in URLs (case-insensitive); `*.example.com` matches subdomains.
        case host(String)

        public var description: String {
            switch self {
            case .network(let network): return network.description
            case .host(let name): return name
            }
        }
    }

    /// The verdict for one address.
    public enum Decision: Equatable, Sendable {
        case allowed
        case refused(BlockedReason)
    }

    /// The entries that re-permit otherwise refused destinations.
    public let allowList: [AllowEntry]

    /// A policy with the default blocks and the given allow-list.
    public init(allowList: [AllowEntry] = []) {
        self.allowList = allowList
    }

    /// Parses an allow-list such as `127.0.0.1,10.0.0.0/8,::1,redis.internal` (commas or spaces
    /// between entries); throws `OutboundError.invalidConfiguration` naming the bad entry.
    public init(allowList text: String) throws {
        let separators: Set<Character> = [",", " ", "\t", "\n"]
        var entries: [AllowEntry] = []
        for raw in text.split(whereSeparator: { separators.contains($0) }) {
            if let network = IPNetwork(raw) {
                entries.append(.network(network))
            } else if let name = Self.hostName(raw) {
                entries.append(.host(name))
            } else {
                throw OutboundError.invalidConfiguration(
                    "allow-list entry '\(raw)' is not an address, CIDR or host name")
            }
        }
        self.init(allowList: entries)
    }

    /// The verdict for connecting to `address`, reached through the name `host`.
    public func decision(for address: IPAddress, host: String? = nil) -> Decision {
        if isAllowListed(address, host: host) { return .allowed }
        if let reason = BlockedRanges.reason(for: address) { return .refused(reason) }
        return .allowed
    }

    /// Whether an allow-list entry matches the address, the IPv4 address inside it, or the host name.
    func isAllowListed(_ address: IPAddress, host: String?) -> Bool {
        let candidates = [address, BlockedRanges.embeddedIPv4(in: address)].compactMap { $0 }
        let name = host.flatMap(Self.hostName)
        return allowList.contains { entry in
            switch entry {
            case .network(let network):
                return candidates.contains(where: network.contains)
            case .host(let pattern):
                guard let name else { return false }
                if pattern.hasPrefix("*.") { return name.hasSuffix(pattern.dropFirst()) }
                return name == pattern
            }
        }
    }

    /// Lower-cases a host name and drops a trailing dot; nil if it has characters no host name has.
    static func hostName(_ raw: some StringProtocol) -> String? {
        var name = raw.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d || byte == 0x2e
                || byte == 0x5f || byte == 0x2a
        }
        guard !name.isEmpty, allowed, !name.dropFirst().contains("*") else { return nil }
        return name
    }
}
