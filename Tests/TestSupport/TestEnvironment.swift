import Logging
import Patchbay

/// The services' environment over a fresh, migrated test database, for tests below the web layer.
public final class TestEnvironment: Sendable {
    public let database: TestDatabase
    public let environment: AppEnvironment

    public static func start(identity: IdentitySettings = .testing) async throws -> TestEnvironment {
        let database = try await TestDatabase.create()
        try await database.migrate()
        let environment = try AppEnvironment(
            pool: database.pool, paths: ProjectPaths(root: ProjectRoot.path),
            logger: Logger(label: "test.env"),
            masterKeys: MasterKeyConfiguration.ephemeral(), identity: identity)
        return TestEnvironment(database: database, environment: environment)
    }

    private init(database: TestDatabase, environment: AppEnvironment) {
        self.database = database
        self.environment = environment
    }

    public var fixtures: IdentityFixtures { IdentityFixtures(environment: environment) }

    public func stop() async { await database.drop() }
}
