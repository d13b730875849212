import ArgumentParser
import Foundation
import Logging
import Patchbay
import PatchbayWeb
import Postgres

/// Options every command shares: where the database is, how much to log, where the project files are.
struct CommonOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (env: DATABASE_URL).")
    var databaseURL: String?

    @Option(
        help: "Log level: trace, debug, info, notice, warning, error, critical (env: PATCHBAY_LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "Folder holding Migrations/, Seeds/, Templates/ and Public/ (env: PATCHBAY_ROOT).")
    var root: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func resolvedDatabaseURL() throws -> String {
        guard let url = databaseURL ?? environment["DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("No database: set DATABASE_URL or pass --database-url.")
        }
        return url
    }

    func resolvedRoot() -> String {
        root ?? environment["PATCHBAY_ROOT"] ?? FileManager.default.currentDirectoryPath
    }

    func resolvedLogLevel() throws -> Logger.Level {
        let name = logLevel ?? environment["PATCHBAY_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ValidationError("Unknown log level '\(name)'.")
        }
        return level
    }

    /// Opens a pool for the length of `body` and closes it afterwards, also when `body` throws.
    func withPool<T>(size: Int, logger: Logger, _ body: (PostgresPool) async throws -> T) async throws -> T {
        let pool = try PostgresPool(url: try resolvedDatabaseURL(), size: size, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// The services' environment over `pool`, with the master key from `PATCHBAY_MASTER_KEY` or the key
    /// file (`PATCHBAY_MASTER_KEY_FILE`, default `.data/master.key`, created when missing).
    /// `PATCHBAY_MASTER_KEY_PREVIOUS` (or `previousKeyFile`) adds the key used before a rotation.
    func makeEnvironment(pool: PostgresPool, logger: Logger, previousKeyFile: String? = nil) throws
        -> AppEnvironment
    {
        let root = resolvedRoot()
        let masterKeys = try MasterKeyConfiguration.load(
            environment: environment, root: root, previousKeyFile: previousKeyFile)
        var identity = IdentitySettings.standard
        if let seconds = environment["PATCHBAY_IDENTITY_CACHE_SECONDS"].flatMap(Int.init) {
            identity.identityCacheTTL = .seconds(max(0, seconds))
        }
        var app = try AppEnvironment(
            pool: pool, paths: ProjectPaths(root: root), logger: logger, masterKeys: masterKeys,
            identity: identity)
        app.outbound = try OutboundServices(
            allowList: environment["PATCHBAY_OUTBOUND_ALLOW"] ?? "",
            dnsCacheLifetime: try OutboundServices.dnsCacheLifetime(from: environment),
            socketWaiter: EventLoopSocketWaiter(), logger: logger)
        app.queries = try QuerySettings.from(environment: environment)
        return app
    }

    /// Runs `body` with an environment over a small pool, for the administrative commands.
    func withEnvironment<T>(
        _ label: String, previousKeyFile: String? = nil, _ body: (AppEnvironment) async throws -> T
    ) async throws -> T {
        let logger = try makeLogger(label)
        defer { LogOutput.flush() }
        return try await withPool(size: 2, logger: logger) { pool in
            try await body(try makeEnvironment(pool: pool, logger: logger, previousKeyFile: previousKeyFile))
        }
    }

    /// Installs the structured log handler once per process and returns a logger for `label`.
    func makeLogger(_ label: String) throws -> Logger {
        let level = try resolvedLogLevel()
        LoggingSetup.bootstrap(level: level)
        return Logger(label: label)
    }
}
