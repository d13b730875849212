import HTTPServer

/// Hands the flash toast left by a redirect (a short-lived cookie) to the page that follows, and
/// clears the cookie once a page has shown it.
struct FlashMiddleware: Middleware {
    let web: WebSettings

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let flash = Flash.read(request, web: web)
        guard !flash.isEmpty else { return try await next(request, context) }
        var context = context
        context.flash = flash
        var response = try await next(request, context)
        let isPage = response.headers["Content-Type"]?.hasPrefix("text/html") == true
        let setsFlash = response.headers.values(for: "Set-Cookie").contains {
            $0.hasPrefix(web.flashCookie + "=")
        }
        if (200..<300).contains(response.status.code), isPage, !request.isHTMX, !setsFlash {
            web.clearCookie(web.flashCookie, on: &response)
        }
        return response
    }
}
