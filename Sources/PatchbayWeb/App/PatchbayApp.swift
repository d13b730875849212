import HTTPServer
import Logging
import Patchbay

/// Builds Patchbay's router: middleware in order, then every route group.
public struct PatchbayApp: Sendable {
    public let environment: AppEnvironment
    public let views: Views
    public let readiness: Readiness
    public let web: WebSettings
    public let catalog: CatalogService
    public let connectors: ConnectorService
    /// How this node runs scheduled health checks (`serve --health-check-interval`).
    public var healthChecks = HealthCheckSettings()
    public let attachments: AttachmentService
    public let queries: QueryService
    /// Runs connectors (execute, replay, chains) and reads their History; `makeWorker` runs the queue.
    public let executions: ExecutionService

    /// `connectorListCache` keeps recent pages of each tenant's Installed list (pass one with a zero
    /// `maxAge` to read the database every time).
    public init(
        environment: AppEnvironment, views: Views, readiness: Readiness, web: WebSettings = WebSettings(),
        connectorListCache: ConnectorListCache = ConnectorListCache()
    ) throws {
        self.environment = environment
        self.views = views
        self.readiness = readiness
        self.web = web
        self.catalog = try CatalogService.make(
            database: environment.database, paths: environment.paths, logger: environment.logger)
        self.connectors = ConnectorService(
            environment: environment, catalog: catalog, listCache: connectorListCache)
        self.attachments = AttachmentService(connectors: connectors)
        self.queries = QueryService(attachments: attachments, settings: environment.queries)
        self.executions = ExecutionService(connectors: connectors)
    }

    public func makeRouter() -> Router<PatchbayContext> {
        let router = Router(context: PatchbayContext.self)
        let services = IdentityServices(environment: environment)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware(pages: ErrorPages(views: views)))
        router.add(
            middleware: FileMiddleware<PatchbayContext>(
                folder: environment.paths.publicFiles, urlPrefix: "/static",
                cacheControl: "public, max-age=300"))
        router.add(middleware: AuthMiddleware(sessions: services.sessions, tokens: services.tokens, web: web))
        router.add(middleware: CSRFMiddleware(web: web))
        router.add(middleware: FlashMiddleware(web: web))
        HealthRoutes.register(on: router, readiness: readiness)

        let pages = router.group("", middleware: RequireIdentity(audience: .pages))
        let api = router.group(
            "/api/v1", middleware: RequireIdentity(audience: .api), JSONContentTypeMiddleware())
        registerIdentity(on: router, pages: pages, api: api, services: services)
        CatalogPages(catalog: catalog, views: views).register(on: router, signedIn: pages)
        CatalogAPI(catalog: catalog, seedsDirectory: environment.paths.seeds).register(on: api)
        registerConnectors(pages: pages, api: api)
        // Last: the OpenAPI document is built from every route registered before it.
        APIDocsRoutes(views: views).register(on: router)
        return router
    }

    private func registerIdentity(
        on router: Router<PatchbayContext>, pages: RouteGroup<PatchbayContext>,
        api: RouteGroup<PatchbayContext>,
        services: IdentityServices
    ) {
        let renderer = PageRenderer(views: views, web: web)
        AuthRoutes(services: services, pages: renderer, web: web).register(on: router, signedIn: pages)
        InviteRoutes(services: services, pages: renderer, web: web).register(on: pages)
        let settings = SettingsPages(services: services, pages: renderer, web: web)
        let settingsGroup = pages.group("/settings")
        ProfileRoutes(settings: settings).register(on: settingsGroup)
        MemberRoutes(settings: settings).register(on: settingsGroup)
        TokenRoutes(settings: settings).register(on: settingsGroup)
        AuditRoutes(settings: settings).register(on: settingsGroup)
        IdentityAPIRoutes(services: services).register(on: api)
    }

    private func registerConnectors(pages: RouteGroup<PatchbayContext>, api: RouteGroup<PatchbayContext>) {
        let shared = ConnectorPages(connectors: connectors, views: views, web: web)
        let installed = InstalledRoutes(pages: shared)
        let forms = ConnectorFormRoutes(pages: shared, installed: installed)
        installed.register(on: pages)
        FieldValidationRoute(forms: forms).register(on: pages)
        forms.register(on: pages)
        BuilderRoutes(forms: forms).register(on: pages)
        ConnectorActionRoutes(pages: shared).register(on: pages)
        ConnectorAPIRoutes(connectors: connectors).register(on: api)
        ConnectorTestRoutes(pages: shared, forms: forms).register(on: pages)
        ConnectorTestAPIRoutes(connectors: connectors).register(on: api)
        AttachmentPageRoutes(installed: installed, attachments: attachments).register(on: pages)
        AttachmentAPIRoutes(attachments: attachments, queries: queries).register(on: api)
        ExecutionPageRoutes(pages: shared, installed: installed).register(on: pages)
        ExecutionAPIRoutes(executions: executions).register(on: api)
    }

    /// Work that runs for the server's lifetime: following catalog, connector and identity changes made
    /// by other nodes, and running the scheduled health checks that fall due.
    public func startBackgroundWork() -> Task<Void, Never> {
        let catalog = self.catalog
        let connectors = self.connectors
        let pool = environment.pool
        let logger = environment.logger
        let identities = environment.identityCache
        let scheduler = HealthCheckScheduler(connectors: connectors, settings: healthChecks, logger: logger)
        return Task {
            async let identityChanges: Void = identities.followChanges(pool: pool, logger: logger)
            async let catalogChanges: Void = catalog.cache.followChanges(pool: pool)
            async let connectorChanges: Void = connectors.listCache.followChanges(pool: pool, logger: logger)
            async let scheduledChecks: Void = scheduler.run()
            _ = await (catalogChanges, connectorChanges, identityChanges, scheduledChecks)
        }
    }
}
