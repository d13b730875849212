import Foundation
import HTTPServer
import Patchbay

/// `/login`, `/logout`, the tenant switcher and the home redirect.
struct AuthRoutes {
    let services: IdentityServices
    let pages: PageRenderer
    let web: WebSettings

    static let home = "/features/connectors/catalog"

    func register(on router: Router<PatchbayContext>, signedIn: RouteGroup<PatchbayContext>) {
        router.get("/login", routeInfo("Login page", page: true)) { request, context in
            if context.identity != nil {
                return .redirect(to: LoginPath.safeNext(request.query["next"]) ?? Self.home)
            }
            return try loginPage(request, context, email: "", error: nil)
        }
        router.post("/login", routeInfo("Log in with email and password", page: true)) { request, context in
            try await login(request, context)
        }
        signedIn.post("/logout", routeInfo("Log out", .sessionManage, page: true)) { request, context in
            try await services.sessions.logout(context.identity, request: context.requestInfo(request))
            var response = HTTPResponse.redirect(to: "/login?notice=logged_out")
            if request.isHTMX { response.headers.add(name: "HX-Redirect", value: "/login?notice=logged_out") }
            web.clearCookie(web.sessionCookie, on: &response)
            return response
        }
        signedIn.post(
            "/session/tenant", routeInfo("Switch the current workspace", .sessionManage, page: true)
        ) {
            request, context in
            guard let id = request.formFields["tenant_id"].flatMap(UUID.init(uuidString:)) else {
                throw AppError.notFound("The workspace")
            }
            let tenant = try await services.sessions.switchTenant(
                context.identity, to: id, request: context.requestInfo(request))
            var response = HTTPResponse.redirect(to: Self.home)
            if request.isHTMX { response.headers.add(name: "HX-Redirect", value: Self.home) }
            Flash(message: "You are now working in \(tenant.name).", level: "info").store(
                on: &response, web: web)
            return response
        }
        signedIn.get("/settings", routeInfo("Settings", .profileManage, page: true)) { _, _ in
            .redirect(to: "/settings/profile")
        }
        signedIn.get("/profile", routeInfo("Profile", .profileManage, page: true)) { _, _ in
            .redirect(to: "/settings/profile")
        }
    }

    private func login(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let form = request.formFields
        let email = form["email"] ?? ""
        do {
            let session = try await services.sessions.login(
                email: email, password: form["password"] ?? "", replacing: request.cookies[web.sessionCookie],
                request: context.requestInfo(request))
            var response = HTTPResponse.redirect(to: LoginPath.safeNext(form["next"]) ?? Self.home)
            web.setCookie(
                web.sessionCookie, session.token, maxAge: session.maxAge.wholeSeconds, on: &response)
            web.clearCookie(web.loginCookie, on: &response)
            return response
        } catch let error as AppError where error.kind == .unauthorized || error.kind == .tooManyRequests {
            var response = try loginPage(request, context, email: email, error: error)
            if let seconds = error.retryAfterSeconds {
                response.headers.add(name: "Retry-After", value: String(seconds))
            }
            return response
        }
    }

    /// The login form. Its CSRF token is the pre-session cookie's value (kept if the browser has one).
    private func loginPage(
        _ request: HTTPRequest, _ context: PatchbayContext, email: String, error: AppError?
    )
        throws -> HTTPResponse
    {
        let token =
            try request.cookies[web.loginCookie].flatMap { $0.isEmpty ? nil : $0 } ?? CSRFTokens.generate()
        let next = LoginPath.safeNext(request.query["next"] ?? request.formFields["next"]) ?? ""
        let throttled = error?.kind == .tooManyRequests
        let notice = request.query["notice"] == "logged_out" ? "You have been logged out." : ""
        let status: HTTPStatus = error == nil ? .ok : (throttled ? .tooManyRequests : .unauthorized)
        var response = try pages.renderPublic(
            "pages/login",
            model: [
                ("csrf_token", .string(token)), ("email", .string(email)),
                ("error", .string(throttled ? "" : error?.message ?? "")), ("throttled", .bool(throttled)),
                ("retry_after", .string(error?.retryAfterSeconds.map(Self.waitText) ?? "")),
                ("next", .string(next)), ("notice", .string(notice)),
            ], context: context, request: request, status: status)
        web.setCookie(web.loginCookie, token, maxAge: 2 * 3600, on: &response)
        return response
    }

    static func waitText(_ seconds: Int) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}
