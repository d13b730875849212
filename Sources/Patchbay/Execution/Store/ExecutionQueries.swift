import Foundation
import JSON
import Postgres

/// SQL of the `connector_executions` table shared by the store (tenant scope) and the queue workers
/// (system scope). Every function runs on a connection whose caller chose the scope.
enum ExecutionQueries {
    static let summaryColumns = """
        id, tenant_id, connector_id, status, mode, http_status, error, error_kind, error_step, attempts,
        duration_ms, created_at, queued_at, started_at, finished_at, lease_owner, claims, replay_of,
        created_by, created_by_name
        """

    /// Inserts a run. A synchronous one starts executing at once, with a lease nobody renews (see
    /// the migration); a queued one is pending until a worker claims it.
    static func insert(
        tenantID: UUID, connectorID: UUID, mode: ExecutionMode, input: JSON, createdBy: ExecutionCreator,
        replayOf: UUID?, syncLeaseMilliseconds: Int, on connection: PostgresConnection
    ) async throws -> UUID {
        let sql =
            switch mode {
            case .sync:
                """
                INSERT INTO connector_executions
                    (tenant_id, connector_id, status, mode, input, replay_of, created_by, created_by_name,
                     started_at, lease_expires_at)
                VALUES ($1, $2, 'executing', 'sync', $3, $4, $5, $6,
                        now(), now() + $7::float8 * interval '1 millisecond')
                RETURNING id
                """
            case .async:
                """
                INSERT INTO connector_executions
                    (tenant_id, connector_id, status, mode, input, replay_of, created_by, created_by_name,
                     queued_at)
                VALUES ($1, $2, 'pending', 'async', $3, $4, $5, $6, now())
                RETURNING id
                """
            }
        var parameters: [any PostgresEncodable] = [
            tenantID, connectorID, PostgresJSON(input.serializedString()), replayOf, createdBy.userID,
            createdBy.name,
        ]
        if mode == .sync { parameters.append(syncLeaseMilliseconds) }
        let row = try await connection.queryFirst(sql, parameters)
        guard let row else { throw AppError(.internal, "the execution was not recorded") }
        return try row.decode("id")
    }

    /// Records how a run ended, if the caller still holds it: the run must be executing, claimed by
    /// `leaseOwner` (nil for a synchronous run) exactly `claims` times. A node whose lease ran out
    /// and whose run was taken over therefore cannot overwrite the retry's result. Returns whether
    /// the row was written.
    static func finish(
        _ id: UUID, outcome: ExecutionOutcome, leaseOwner: String?, claims: Int,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let columns = OutcomeColumns(outcome)
        let changed = try await connection.execute(
            """
            UPDATE connector_executions
            SET status = $4, http_status = $5, error = $6, error_kind = $7, error_step = $8, attempts = $9,
                duration_ms = $10, request = $11, output = $12, finished_at = now(), lease_expires_at = NULL
            WHERE id = $1 AND status = 'executing' AND lease_owner IS NOT DISTINCT FROM $2 AND claims = $3
            """,
            [
                id, leaseOwner, claims, columns.status, columns.httpStatus, columns.error, columns.errorKind,
                columns.errorStep, columns.attempts, columns.durationMs, columns.request, columns.output,
            ])
        return changed == 1
    }

    static func summary(_ row: PostgresRow) throws -> ExecutionSummary {
        ExecutionSummary(
            id: try row.decode("id"), tenantID: try row.decode("tenant_id"),
            connectorID: try row.decode("connector_id"),
            status: ExecutionStatus(rawValue: try row.decode("status")) ?? .failed,
            mode: ExecutionMode(rawValue: try row.decode("mode")) ?? .sync,
            httpStatus: try row.decode("http_status"), error: try row.decode("error"),
            errorKind: try row.decode("error_kind"), errorStep: try row.decode("error_step"),
            attempts: try row.decode("attempts"), durationMs: try row.decode("duration_ms"),
            createdAt: try row.decode("created_at"), queuedAt: try row.decode("queued_at"),
            startedAt: try row.decode("started_at"), finishedAt: try row.decode("finished_at"),
            leaseOwner: try row.decode("lease_owner"), claims: try row.decode("claims"),
            replayOf: try row.decode("replay_of"),
            createdBy: ExecutionCreator(
                userID: try row.decode("created_by"), name: try row.decode("created_by_name")))
    }

    /// A `json`/`jsonb` column as JSON (nil for NULL).
    static func json(_ row: PostgresRow, _ column: String) throws -> JSON? {
        guard let text = try row.decode(column, as: PostgresJSON?.self)?.text else { return nil }
        do {
            return try JSON(parsing: text)
        } catch {
            throw AppError(.internal, "the stored \(column) of an execution is not valid JSON: \(error)")
        }
    }
}

/// An outcome as the columns it fills.
struct OutcomeColumns {
    /// Outcome members that have columns of their own, left out of `output`.
    private static let ownColumns = ["status", "http_status", "duration_ms", "attempts", "error", "request"]

    var status: String
    var httpStatus: Int?
    var error: String?
    var errorKind: String?
    var errorStep: String?
    var attempts: Int
    var durationMs: Int
    var request: PostgresJSON?
    var output: PostgresJSON

    init(_ outcome: ExecutionOutcome) {
        status = outcome.status.rawValue
        httpStatus = outcome.httpStatus
        error = outcome.error?.message
        errorKind = outcome.error?.kind.rawValue
        errorStep = outcome.error?.step
        attempts = outcome.attempts
        durationMs = outcome.durationMs
        var output = outcome.json().object ?? JSONObject()
        for key in Self.ownColumns { output.removeValue(forKey: key) }
        self.output = PostgresJSON(JSON.object(output).serializedString())
        request = outcome.redactedRequest.map { PostgresJSON($0.summary().serializedString()) }
    }
}
