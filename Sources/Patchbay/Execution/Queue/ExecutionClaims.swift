import Foundation
import JSON
import Postgres

/// SQL of the queue: claiming, renewing, releasing and giving up runs. Claiming, renewing and giving
/// up cross tenants and run in system scope; a worker's writes about one run use that run's tenant.
enum ExecutionClaims {
    /// A run is claimed at most this many times: once, then once more after its node stopped.
    static let maxClaims = 2
    static let stoppedTwice =
        "the node running it stopped twice before it finished, so it was not tried a third time"
    static let syncLost = "the node running it stopped before it finished"

    /// Claims up to `limit` pending runs, oldest first, for `owner`.
    static func claimPending(
        owner: String, leaseMilliseconds: Int, limit: Int, on connection: PostgresConnection
    )
        async throws -> [ClaimedExecution]
    {
        try await claim(
            "status = 'pending' ORDER BY queued_at, id", owner: owner, leaseMilliseconds: leaseMilliseconds,
            limit: limit, on: connection)
    }

    /// Claims again up to `limit` queued runs whose lease ran out and that were claimed only once.
    static func reclaimExpired(
        owner: String, leaseMilliseconds: Int, limit: Int, on connection: PostgresConnection
    ) async throws -> [ClaimedExecution] {
        try await claim(
            """
            status = 'executing' AND lease_expires_at < now() AND mode = 'async' AND claims < \(maxClaims)
            ORDER BY lease_expires_at
            """, owner: owner, leaseMilliseconds: leaseMilliseconds, limit: limit, on: connection)
    }

    private static func claim(
        _ selection: String, owner: String, leaseMilliseconds: Int, limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ClaimedExecution] {
        guard limit > 0 else { return [] }
        // SKIP LOCKED: concurrent workers each take different rows instead of queueing behind one
        // another's locks; the row lock is held until the claim commits. The selection is a
        // materialized CTE so it runs once: as a subquery the planner may rescan it, and a rescan
        // skips the rows this statement already updated and locks the next ones, past the limit.
        let rows = try await connection.query(
            """
            WITH picked AS MATERIALIZED (
                SELECT id FROM connector_executions WHERE \(selection) LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE connector_executions e
            SET status = 'executing', lease_owner = $1,
                lease_expires_at = now() + $2::float8 * interval '1 millisecond', claims = e.claims + 1,
                started_at = coalesce(e.started_at, now())
            FROM picked
            WHERE e.id = picked.id
            RETURNING e.id, e.tenant_id, e.connector_id, e.input, e.claims, e.replay_of, e.created_by,
                      e.created_by_name, e.queued_at
            """, [owner, leaseMilliseconds, limit])
        return try rows.map { row in
            ClaimedExecution(
                id: try row.decode("id"), tenantID: try row.decode("tenant_id"),
                connectorID: try row.decode("connector_id"),
                input: try ExecutionQueries.json(row, "input") ?? [:],
                claims: try row.decode("claims"), replayOf: try row.decode("replay_of"),
                createdBy: ExecutionCreator(
                    userID: try row.decode("created_by"), name: try row.decode("created_by_name")),
                queuedAt: try row.decode("queued_at"))
        }
    }

    /// Fails up to `limit` runs whose lease ran out and that must not run again: queued runs already
    /// claimed `maxClaims` times, and synchronous runs (their caller stopped waiting long ago).
    /// Returns how many.
    static func giveUpLost(limit: Int, on connection: PostgresConnection) async throws -> Int {
        try await connection.execute(
            """
            WITH lost AS MATERIALIZED (
                SELECT id FROM connector_executions
                WHERE status = 'executing' AND lease_expires_at < now()
                  AND (mode = 'sync' OR claims >= \(maxClaims))
                ORDER BY lease_expires_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE connector_executions e
            SET status = 'failed', error_kind = 'node_lost', finished_at = now(), lease_expires_at = NULL,
                error = CASE WHEN e.mode = 'sync' THEN $1 ELSE $2 END
            FROM lost
            WHERE e.id = lost.id
            """, [syncLost, stoppedTwice, limit])
    }

    /// Extends the leases `owner` still holds on `claims`; returns how many it still held.
    static func renew(
        _ claims: [ClaimKey], owner: String, leaseMilliseconds: Int, on connection: PostgresConnection
    ) async throws -> Int {
        try await connection.execute(
            """
            UPDATE connector_executions
            SET lease_expires_at = now() + $2::float8 * interval '1 millisecond'
            WHERE status = 'executing' AND lease_owner = $1
              AND (id, claims) IN (SELECT * FROM unnest($3::uuid[], $4::int4[]))
            """, [owner, leaseMilliseconds, claims.map(\.id), claims.map(\.claims)])
    }

    /// Hands a claimed run back at once (its lease expires now) so another worker can take it; the
    /// claim still counts. Returns whether the claim was still held.
    static func release(_ claim: ClaimKey, owner: String, on connection: PostgresConnection) async throws
        -> Bool
    {
        try await connection.execute(
            """
            UPDATE connector_executions SET lease_expires_at = '-infinity'
            WHERE id = $1 AND status = 'executing' AND lease_owner = $2 AND claims = $3
            """, [claim.id, owner, claim.claims]) == 1
    }
}
