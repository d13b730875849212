import Logging
import Postgres

/// Where Patchbay's files live on disk.
public struct ProjectPaths: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    public var migrations: String { root + "/Migrations" }
    public var seeds: String { root + "/Seeds/connectors" }
    public var templates: String { root + "/Templates" }
    public var publicFiles: String { root + "/Public" }
    public var manifestSchema: String { root + "/docs/manifest.schema.json" }
}

/// Everything a service needs from the outside world, passed explicitly (no globals), so tests can
/// build an environment of their own.
public struct AppEnvironment: Sendable {
    public var pool: PostgresPool
    public var database: Database
    public var paths: ProjectPaths
    public var logger: Logger
    public var clock: @Sendable () -> ContinuousClock.Instant

    public init(pool: PostgresPool, paths: ProjectPaths, logger: Logger) {
        self.pool = pool
        self.database = Database(pool: pool)
        self.paths = paths
        self.logger = logger
        self.clock = { ContinuousClock.now }
    }
}
