import HTTPServer
import Patchbay

/// Fills `context.identity`: from `Authorization: Bearer pb_...` on the JSON API, otherwise from the
/// session cookie. It never refuses a request by itself (routes and services decide), except for a
/// bearer token that is wrong: the caller asked to be someone and is not.
struct AuthMiddleware: Middleware {
    let sessions: SessionService
    let tokens: APITokenService
    let web: WebSettings

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var context = context
        if request.path.hasPrefix("/api/"), let header = request.headers["Authorization"] {
            context.identity = try await bearerIdentity(header)
            return try await next(request, context)
        }
        guard let cookie = request.cookies[web.sessionCookie], !cookie.isEmpty else {
            return try await next(request, context)
        }
        context.identity = try await sessions.authenticate(token: cookie)
        var response = try await next(request, context)
        if context.identity == nil,
            !response.headers.values(for: "Set-Cookie").contains(where: {
                $0.hasPrefix(web.sessionCookie + "=")
            })
        {
            // An expired or unknown session: drop the cookie so the browser stops sending it.
            web.clearCookie(web.sessionCookie, on: &response)
        }
        return response
    }

    private func bearerIdentity(_ header: String) async throws -> Identity {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw AppError(.unauthorized, "Send the API token as `Authorization: Bearer pb_...`.")
        }
        let secret = String(HeaderText.trimmingSpaces(parts[1]))
        guard let identity = try await tokens.authenticate(secret: secret) else {
            throw AppError(
                .unauthorized, "The API token is not valid: it may be mistyped, expired or revoked.")
        }
        return identity
    }
}
