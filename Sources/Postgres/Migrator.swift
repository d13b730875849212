import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Applies numbered SQL files in order, each once, each in its own transaction.
///
/// Applied files are recorded in `schema_migrations` (version, name, SHA-256 checksum, applied_at).
/// A session-level advisory lock keeps several nodes from migrating at the same time: the second
/// waits, then finds nothing left to do. Editing an applied file is refused by checksum.
/// Migration bodies run through the simple-query protocol so a file may hold many statements; they
/// must not contain their own BEGIN/COMMIT, nor statements that cannot run in a transaction.
public struct Migrator: Sendable {
    /// Advisory-lock key used unless another is given (any fixed 64-bit number works).
    public static let defaultLockKey: Int64 = 0x6D69_6772_6174_6531

    public let pool: PostgresPool
    public let migrations: [Migration]
    public let lockKey: Int64
    let logger: Logger

    /// A migrator for files already loaded (see `Migration.load(from:)`).
    public init(
        pool: PostgresPool, migrations: [Migration], lockKey: Int64 = Migrator.defaultLockKey,
        logger: Logger = Logger(label: "postgres.migrations")
    ) {
        self.pool = pool
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.lockKey = lockKey
        self.logger = logger
    }

    /// A migrator for the `*.sql` files of `directory`.
    public init(
        pool: PostgresPool, directory: String, lockKey: Int64 = Migrator.defaultLockKey,
        logger: Logger = Logger(label: "postgres.migrations")
    ) throws {
        self.init(
            pool: pool, migrations: try Migration.load(from: directory), lockKey: lockKey, logger: logger)
    }

    /// Applies every pending migration and returns those it applied (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await pool.withConnection { connection in
            try await connection.execute("SELECT pg_advisory_lock($1)", [lockKey])
            do {
                let applied = try await applyPending(on: connection)
                try await connection.execute("SELECT pg_advisory_unlock($1)", [lockKey])
                return applied
            } catch {
                _ = try? await connection.execute("SELECT pg_advisory_unlock($1)", [lockKey])
                throw error
            }
        }
    }

    /// Compares the files with `schema_migrations` without changing anything.
    public func status() async throws -> MigrationStatus {
        try await pool.withConnection { connection in
            let exists = try await connection.queryFirst(
                "SELECT to_regclass('schema_migrations') IS NOT NULL")
            let applied = try await exists?.decode(0, as: Bool.self) == true ? appliedRows(connection) : []
            return try await compare(applied: applied, on: connection)
        }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let status = try await compare(applied: try await appliedRows(connection), on: connection)
        if let edited = status.modified.first {
            throw PostgresError(
                .migration,
                "migration \(edited) was changed after it was applied; restore the applied version "
                    + "and put the change in a new migration file")
        }
        for migration in status.pending {
            try await apply(migration, on: connection)
        }
        return status.pending
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let checksum = try await checksums(of: [migration], on: connection)[0]
        do {
            try await connection.transaction { connection in
                try await connection.simpleQuery(migration.sql)
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, checksum])
            }
        } catch let error as PostgresError where error.kind != .connection {
            var failure = error
            failure.kind = .migration
            failure.message = "migration \(migration.fileName) failed and was rolled back: \(error.message)"
            throw failure
        }
        logger.info("applied migration", metadata: ["file": "\(migration.fileName)"])
    }
}
