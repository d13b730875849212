import HTTPServer
import Logging
import Patchbay
import PatchbayWeb
import Postgres

/// Patchbay's real router on a real socket (port 0), over a fresh test database.
public final class TestApp: Sendable {
    public let database: TestDatabase
    public let server: HTTPServer
    public let client: TestHTTPClient
    public let app: PatchbayApp

    /// Boots the app. With `migrate: false` the database stays empty (for readiness tests).
    /// `outboundAllow` is the outbound allow-list (`PATCHBAY_OUTBOUND_ALLOW`): tests that reach the test
    /// cluster allow `127.0.0.1`, and nothing else.
    public static func start(
        migrate: Bool = true, pool: PostgresPool? = nil, identity: IdentitySettings = .testing,
        web: WebSettings = WebSettings(), logger: Logger? = nil, outboundAllow: String = "",
        queries: QuerySettings = .standard
    ) async throws -> TestApp {
        let database = try await TestDatabase.create()
        if migrate { try await database.migrate() }
        let logger = logger ?? Logger(label: "test.app")
        let paths = ProjectPaths(root: ProjectRoot.path)
        let usedPool = pool ?? database.pool
        var environment = try AppEnvironment(
            pool: usedPool, paths: paths, logger: logger, masterKeys: MasterKeyConfiguration.ephemeral(),
            identity: identity)
        environment.outbound = try OutboundServices(
            allowList: outboundAllow, socketWaiter: EventLoopSocketWaiter(), logger: logger)
        environment.queries = queries
        let views = try Views(directory: paths.templates, reloadsOnChange: false, logger: logger)
        let app = try PatchbayApp(
            environment: environment, views: views,
            readiness: try Readiness(pool: usedPool, migrationsDirectory: paths.migrations), web: web)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, workers: 1, shutdownGracePeriod: .seconds(2)),
            router: app.makeRouter(), logger: logger)
        let port = try await server.start()
        return TestApp(database: database, server: server, client: TestHTTPClient(port: port), app: app)
    }

    private init(database: TestDatabase, server: HTTPServer, client: TestHTTPClient, app: PatchbayApp) {
        self.database = database
        self.server = server
        self.client = client
        self.app = app
    }

    /// The services' environment (the one the router uses).
    public var environment: AppEnvironment { app.environment }

    /// Fixtures over this app's database.
    public var fixtures: IdentityFixtures { IdentityFixtures(environment: environment) }

    /// A new cookie-keeping client.
    public func session() -> TestSession { TestSession(client: client) }

    public func stop() async {
        await server.shutdown()
        await database.drop()
    }
}
