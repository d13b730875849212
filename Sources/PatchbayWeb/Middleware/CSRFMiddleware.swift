import HTTPServer
import Patchbay

/// Refuses forged unsafe requests (POST, PUT, PATCH, DELETE) that a browser's cookie would
/// authenticate: they must come from one of our pages (`Origin`, or `Sec-Fetch-Site` when a browser
/// sends no `Origin`) and carry the session's CSRF token (form field `csrf_token` or `_csrf`, or
/// header `X-CSRF-Token`, which the HTMX client sends).
///
/// The login form has no session yet: its token is a random cookie echoed in the form (a forged
/// login into the attacker's account cannot know it). Bearer-token requests carry no cookie
/// authority and need no token.
struct CSRFMiddleware: Middleware {
    let web: WebSettings

    static let headerName = "X-CSRF-Token"
    static let fieldNames = ["csrf_token", "_csrf"]

    static let badToken = AppError(
        .forbidden,
        "This form has expired or did not come from Patchbay (its security token is missing or wrong). "
            + "Reload the page and try again.")
    static let crossSite = AppError(
        .forbidden, "Cross-site request refused: unsafe requests must come from Patchbay's own pages.")

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard Self.isUnsafe(request.method) else { return try await next(request, context) }
        switch context.identity?.method {
        case .session(_, let expected):
            try checkOrigin(request)
            guard CSRFTokens.matches(Self.sentToken(request), expected) else { throw Self.badToken }
        case .token:
            break
        case nil:
            if request.path == "/login" {
                try checkOrigin(request)
                guard CSRFTokens.matches(Self.sentToken(request), request.cookies[web.loginCookie]) else {
                    throw Self.badToken
                }
            }
        // Any other anonymous request carries no credentials; the route answers 401.
        }
        return try await next(request, context)
    }

    static func isUnsafe(_ method: HTTPMethod) -> Bool {
        !(method == .get || method == .head || method == .options)
    }

    static func sentToken(_ request: HTTPRequest) -> String? {
        if let header = request.headers[headerName], !header.isEmpty { return header }
        let form = request.formFields
        return fieldNames.lazy.compactMap { form[$0] }.first
    }

    private func checkOrigin(_ request: HTTPRequest) throws {
        if let origin = request.headers["Origin"] {
            guard web.isOwnOrigin(origin, request: request) else { throw Self.crossSite }
            return
        }
        // Browsers send Sec-Fetch-Site on every request; "none" is a user-typed navigation.
        guard let site = request.headers["Sec-Fetch-Site"], site == "same-origin" || site == "none" else {
            throw Self.crossSite
        }
    }
}
