import Logging
import Outbound

/// Every connection Patchbay makes to hosts its users configured, under one address policy: loopback,
/// private, link-local and cloud-metadata addresses are refused unless `PATCHBAY_OUTBOUND_ALLOW`
/// lists them (IPs, CIDRs or host names, comma-separated).
public struct OutboundServices: Sendable {
    public let policy: OutboundPolicy
    public let client: OutboundHTTPClient
    public let prober: OutboundProber
    public let logger: Logger

    public init(allowList: String, logger: Logger) throws {
        do {
            policy = try OutboundPolicy(allowList: allowList)
        } catch {
            throw AppError(.badRequest, "PATCHBAY_OUTBOUND_ALLOW is invalid: \(error)")
        }
        client = OutboundHTTPClient(policy: policy, userAgent: "Patchbay", logger: logger)
        prober = OutboundProber(policy: policy, logger: logger)
        self.logger = logger
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
