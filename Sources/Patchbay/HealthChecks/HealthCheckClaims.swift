import Foundation
import Postgres

/// SQL of the scheduler: finding due checks across tenants (system scope) and claiming them.
enum HealthCheckClaims {
    /// One claimed check.
    struct Claim: Sendable, Hashable {
        var connectorID: UUID
        var tenantID: UUID
    }

    /// Claims up to `limit` active connectors whose check is due, the longest overdue first, and moves
    /// each one's next check an interval ahead in the same statement: once this commits, the rows are
    /// no longer due, and while it runs other claimers skip them (SKIP LOCKED) instead of waiting.
    /// The selection is a materialized CTE so the locking scan runs once (see `ExecutionClaims`).
    static func claimDue(limit: Int, on connection: PostgresConnection) async throws -> [Claim] {
        guard limit > 0 else { return [] }
        let rows = try await connection.query(
            """
            WITH due AS MATERIALIZED (
                SELECT id FROM connectors
                WHERE health_check_minutes IS NOT NULL AND status = 'active' AND next_health_check_at <= now()
                ORDER BY next_health_check_at
                LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE connectors c
            SET next_health_check_at = now() + c.health_check_minutes * interval '1 minute'
            FROM due
            WHERE c.id = due.id
            RETURNING c.id, c.tenant_id
            """, [limit])
        return try rows.map { Claim(connectorID: try $0.decode("id"), tenantID: try $0.decode("tenant_id")) }
    }
}
