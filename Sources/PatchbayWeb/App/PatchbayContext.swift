import HTTPServer
import Logging
import Patchbay

/// Per-request state: who is asking, for which tenant, and a logger that tags every line with the
/// request id.
public struct PatchbayContext: RequestContext {
    public let requestID: String
    public let remoteAddress: String
    public var logger: Logger
    public let startedAt: ContinuousClock.Instant
    /// Who is asking, filled by `AuthMiddleware` from the session cookie or an API token.
    public var identity: Identity?
    /// Toasts left by the previous response's redirect (see `FlashMiddleware`).
    var flash: [Flash] = []

    public init(source: RequestContextSource) {
        requestID = source.requestID
        remoteAddress = source.remoteAddress
        var logger = source.logger
        logger[metadataKey: "request_id"] = "\(requestID)"
        self.logger = logger
        startedAt = .now
        identity = nil
    }

    /// Where the request came from, for the audit log and throttling.
    public func requestInfo(_ request: HTTPRequest) -> RequestInfo {
        RequestInfo(requestID: requestID, ip: remoteAddress, userAgent: request.headers["User-Agent"] ?? "")
    }
}
