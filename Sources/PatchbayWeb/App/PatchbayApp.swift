import HTTPServer
import Logging
import Patchbay

/// Builds Patchbay's router: middleware in order, then every route group.
public struct PatchbayApp: Sendable {
    public let environment: AppEnvironment
    public let views: Views?
    public let readiness: Readiness
    public let web: WebSettings

    public init(environment: AppEnvironment, views: Views?, readiness: Readiness, web: WebSettings = WebSettings()) {
        self.environment = environment
        self.views = views
        self.readiness = readiness
        self.web = web
    }

    public func makeRouter() -> Router<PatchbayContext> {
        let router = Router(context: PatchbayContext.self)
        let services = IdentityServices(environment: environment)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware(pages: ErrorPages(views: views)))
        router.add(
            middleware: FileMiddleware<PatchbayContext>(
                folder: environment.paths.publicFiles, urlPrefix: "/static", cacheControl: "public, max-age=300"))
        router.add(middleware: AuthMiddleware(sessions: services.sessions, tokens: services.tokens, web: web))
        router.add(middleware: CSRFMiddleware(web: web))
        HealthRoutes.register(on: router, readiness: readiness)
        registerIdentity(on: router, services: services)
        return router
    }

    private func registerIdentity(on router: Router<PatchbayContext>, services: IdentityServices) {
        let pages = PageRenderer(views: views, tenants: services.tenants, web: web)
        AuthRoutes(services: services, pages: pages, web: web).register(on: router)
        InviteRoutes(services: services, pages: pages, web: web).register(on: router)
        let settingsGroup = router.group("/settings", middleware: RequireIdentity(audience: .pages))
        let settings = SettingsPages(services: services, pages: pages, web: web)
        ProfileRoutes(settings: settings).register(on: settingsGroup)
        MemberRoutes(settings: settings).register(on: settingsGroup)
        TokenRoutes(settings: settings).register(on: settingsGroup)
        AuditRoutes(settings: settings).register(on: settingsGroup)
        let api = router.group("/api/v1", middleware: RequireIdentity(audience: .api))
        IdentityAPIRoutes(services: services).register(on: api)
    }
}
