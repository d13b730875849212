import HTTPServer
import Logging
import Patchbay

/// Builds Patchbay's router: middleware in order, then every route group.
public struct PatchbayApp: Sendable {
    public let environment: AppEnvironment
    public let views: Views?
    public let readiness: Readiness

    public init(environment: AppEnvironment, views: Views?, readiness: Readiness) {
        self.environment = environment
        self.views = views
        self.readiness = readiness
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
        return router
    }
}
