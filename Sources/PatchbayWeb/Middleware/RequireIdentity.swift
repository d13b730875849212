import HTTPServer
import Patchbay

/// Guards a route group: without an identity, pages send the browser to the login page (coming back
/// afterwards) and the API answers 401. Services check roles themselves; this only spares anonymous
/// visitors an error page.
struct RequireIdentity: Middleware {
    enum Audience {
        case pages
        case api
    }

    let audience: Audience

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        if context.identity != nil { return try await next(request, context) }
        switch audience {
        case .api:
            throw AppError(.unauthorized, "Sign in or send an API token (`Authorization: Bearer pb_...`).")
        case .pages:
            let target = request.method == .get ? LoginPath.with(next: request.target) : "/login"
            if request.isHTMX {
                var response = HTTPResponse(status: .unauthorized)
                response.headers.add(name: "HX-Redirect", value: target)
                return response
            }
            return .redirect(to: target)
        }
    }
}

/// Building and checking the `next` parameter of the login page.
enum LoginPath {
    static func with(next: String) -> String {
        guard let next = safeNext(next), next != "/" else { return "/login" }
        return "/login?next=" + PercentEncoding.encode(next)
    }

    /// `next` only when it is a path on this site: `/x`, never `//evil.example` or `/\evil`.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains(where: { $0.isNewline })
        else { return nil }
        return next
    }
}
