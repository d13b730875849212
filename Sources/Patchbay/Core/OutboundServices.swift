import Logging
import Outbound

/// Every connection Patchbay makes to hosts its users configured, under one address policy: loopback,
/// private, link-local and cloud-metadata addresses are refused unless `PATCHBAY_OUTBOUND_ALLOW`
/// lists them (IPs, CIDRs or host names, comma-separated). Host names' addresses are remembered for
/// `dnsCacheLifetime` (`PATCHBAY_DNS_CACHE_SECONDS`) and checked against the policy on every use.
/// With a `socketWaiter`, HTTP requests made from a server's event loop are driven on that loop
/// (`LoopTransfers`); all others run on transfer threads.
public struct OutboundServices: Sendable {
    /// How long a host name's addresses are remembered unless configured otherwise.
    public static let defaultDNSCacheLifetime: Duration = .seconds(30)

    public let policy: OutboundPolicy
    public let resolverCache: ResolverCache
    public let client: OutboundHTTPClient
    public let prober: OutboundProber
    public let logger: Logger

    public init(
        allowList: String, dnsCacheLifetime: Duration = OutboundServices.defaultDNSCacheLifetime,
        socketWaiter: (any OutboundSocketWaiter)? = nil, logger: Logger
    ) throws {
        do {
            policy = try OutboundPolicy(allowList: allowList)
        } catch {
            throw AppError(.badRequest, "PATCHBAY_OUTBOUND_ALLOW is invalid: \(error)")
        }
        resolverCache = ResolverCache.system(lifetime: dnsCacheLifetime)
        let network = OutboundNetwork.cached(resolverCache)
        client = OutboundHTTPClient(
            policy: policy, network: network, userAgent: "Patchbay", logger: logger,
            loop: socketWaiter.map { LoopTransfers(waiter: $0) })
        prober = OutboundProber(policy: policy, network: network, logger: logger)
        self.logger = logger
    }

    /// `PATCHBAY_DNS_CACHE_SECONDS` of `environment` (0 remembers nothing), else the default.
    public static func dnsCacheLifetime(from environment: [String: String]) throws -> Duration {
        guard let text = environment["PATCHBAY_DNS_CACHE_SECONDS"], !text.isEmpty else {
            return defaultDNSCacheLifetime
        }
        guard let seconds = Int(text), (0...86_400).contains(seconds) else {
            throw AppError(
                .badRequest, "PATCHBAY_DNS_CACHE_SECONDS must be a number of seconds from 0 to 86400.")
        }
        return .seconds(seconds)
    }

    /// Tests a connector's connection under this policy.
    public var tester: ConnectionTester {
        ConnectionTester(client: client, prober: prober, policy: policy, logger: logger)
    }

    /// Runs custom HTTP connectors under this policy.
    public var executor: CustomHTTPExecutor {
        CustomHTTPExecutor(client: client, logger: logger)
    }
}
