import HTTPServer
import Logging
import Patchbay

/// Builds Patchbay's router: middleware in order, then every route group.
public struct PatchbayApp: Sendable {
    public let environment: AppEnvironment
    public let views: Views
    public let readiness: Readiness
    public let catalog: CatalogService

    public init(environment: AppEnvironment, views: Views, readiness: Readiness) throws {
        self.environment = environment
        self.views = views
        self.readiness = readiness
        self.catalog = try CatalogService.make(
            database: environment.database, paths: environment.paths, logger: environment.logger)
    }

    public func makeRouter() -> Router<PatchbayContext> {
        let router = Router(context: PatchbayContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware(pages: ErrorPages(views: views)))
        router.add(
            middleware: FileMiddleware<PatchbayContext>(
                folder: environment.paths.publicFiles, urlPrefix: "/static", cacheControl: "public, max-age=300"))
        HealthRoutes.register(on: router, readiness: readiness)
        CatalogPages(catalog: catalog, views: views).register(on: router)

        let api = router.group("/api/v1")
        CatalogAPI(catalog: catalog, seedsDirectory: environment.paths.seeds).register(on: api)
        return router
    }

    /// Work that runs for the server's lifetime: following catalog changes made by other nodes.
    public func startBackgroundWork() -> Task<Void, Never> {
        let catalog = self.catalog
        let pool = environment.pool
        return Task { await catalog.cache.followChanges(pool: pool) }
    }
}
