import HTTPServer
import Logging

/// One log line per request: method, path (never the query string, which may carry tokens),
/// status, duration and response size.
struct AccessLogMiddleware: Middleware {
    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let response = try await next(request, context)
        guard context.logger.logLevel <= .info else { return response }
        let elapsed = ContinuousClock.now - context.startedAt
        let micros =
            elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)",
                "path": "\(Self.loggedPath(request.path))",
                "status": "\(response.status.code)",
                "duration_ms": "\(Double(micros) / 1000)",
                "bytes": "\(response.body.count)",
                "remote": "\(context.remoteAddress)",
            ])
        return response
    }

    /// Invite links carry their secret in the path: keep it out of the logs.
    static func loggedPath(_ path: String) -> String {
        path.hasPrefix("/invites/") ? "/invites/[redacted]" : path
    }
}
