import HTTPServer
import Logging

/// Per-request state: who is asking, for which tenant, and a logger that tags every line with the
/// request id.
public struct PatchbayContext: RequestContext {
    public let requestID: String
    public let remoteAddress: String
    public var logger: Logger
    public let startedAt: ContinuousClock.Instant

    public init(source: RequestContextSource) {
        requestID = source.requestID
        remoteAddress = source.remoteAddress
        var logger = source.logger
        logger[metadataKey: "request_id"] = "\(requestID)"
        self.logger = logger
        startedAt = .now
    }
}
