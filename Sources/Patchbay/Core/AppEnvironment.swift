import Logging
import Postgres
import Secrets

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
    /// Session lifetimes, login throttling, scrypt cost.
    public var identity: IdentitySettings
    /// Recently authenticated callers (see `IdentityCache`).
    public var identityCache: IdentityCache
    /// Tenants' data keys (wrapped by the master key) and fingerprinters.
    public var tenantKeys: TenantKeys
    /// Password hashing on its own threads.
    public var passwords: PasswordWorker
    /// Outbound HTTP and protocol probes under the address policy (none allowed by default:
    /// `serve` reads `PATCHBAY_OUTBOUND_ALLOW`).
    public var outbound: OutboundServices
    /// Limits of queries run on a tenant's behalf (`serve` reads `PATCHBAY_QUERY_*`).
    public var queries: QuerySettings = .standard
    /// Connectors that could run when this node last loaded them, credentials sealed; each use is
    /// checked against the row's version as the run is recorded (`RunnableConnector.cached`).
    let runnableConnectors = BoundedCache<SealedConnector>(capacity: 1024)

    public init(
        pool: PostgresPool, paths: ProjectPaths, logger: Logger, masterKeys: MasterKeySet,
        identity: IdentitySettings = .standard
    ) throws {
        self.pool = pool
        self.database = Database(pool: pool)
        self.paths = paths
        self.logger = logger
        self.clock = { ContinuousClock.now }
        self.identity = identity
        self.identityCache = IdentityCache(ttl: identity.identityCacheTTL)
        self.tenantKeys = TenantKeys(database: database, masterKeys: masterKeys)
        self.passwords = PasswordWorker(hasher: try PasswordHasher(parameters: identity.scrypt))
        self.outbound = try OutboundServices(allowList: "", logger: logger)
    }
}
