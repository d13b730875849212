import HTTPServer

/// Security headers on every response: no inline script, no framing, no MIME sniffing, no
/// cross-origin referrers.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var response = try await next(request, context)
        response.headers.add(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.add(name: "Referrer-Policy", value: "same-origin")
        response.headers.add(name: "X-Frame-Options", value: "DENY")
        return response
    }
}
