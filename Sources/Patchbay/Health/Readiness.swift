import Postgres
import Synchronization

/// Answers "can this node serve traffic?": the database answers and every migration file is applied.
///
/// Migration status costs a checksum per file, so a positive answer is remembered for a few
/// seconds; a database outage is still noticed at once because the ping runs every time.
public final class Readiness: Sendable {
    public struct Report: Sendable {
        public var isReady: Bool
        public var database: String
        public var migrations: String
    }

    private let pool: PostgresPool
    private let migrator: Migrator
    private let cacheFor: Duration
    private let lastCurrent = Mutex<ContinuousClock.Instant?>(nil)

    public init(pool: PostgresPool, migrationsDirectory: String, cacheFor: Duration = .seconds(5)) throws {
        self.pool = pool
        self.migrator = try Migrator(pool: pool, directory: migrationsDirectory)
        self.cacheFor = cacheFor
    }

    public func check() async -> Report {
        do {
            _ = try await pool.query("SELECT 1")
        } catch {
            return Report(isReady: false, database: "unreachable", migrations: "unknown")
        }
        if let last = lastCurrent.withLock({ $0 }), ContinuousClock.now - last < cacheFor {
            return Report(isReady: true, database: "ok", migrations: "current")
        }
        do {
            let status = try await migrator.status()
            if !status.modified.isEmpty {
                return Report(
                    isReady: false, database: "ok",
                    migrations: "edited after being applied: \(status.modified.joined(separator: ", "))")
            }
            if !status.pending.isEmpty {
                return Report(isReady: false, database: "ok", migrations: "\(status.pending.count) pending")
            }
            lastCurrent.withLock { $0 = ContinuousClock.now }
            return Report(isReady: true, database: "ok", migrations: "current")
        } catch {
            return Report(isReady: false, database: "ok", migrations: "unknown")
        }
    }
}
