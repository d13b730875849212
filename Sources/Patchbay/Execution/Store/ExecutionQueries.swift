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

    /// Inserts a run of connector `connectorID`, returning its id; a synchronous one starts
    /// executing at once, with a lease nobody renews (see the migration), a queued one is pending
    /// until a worker claims it.
    ///
    /// It inserts nothing (returns no row) when the connector is not the tenant's, when `replayOf`
    /// names no execution of the tenant's, or when `connectorVersion` is given and the connector's
    /// row has changed since it was read (see `RunnableConnector.version`).
    static func insert(
        tenantID: UUID, connectorID: UUID, mode: ExecutionMode, input: JSON, createdBy: ExecutionCreator,
        replayOf: UUID?, syncLeaseMilliseconds: Int, connectorVersion: String?
    ) -> PostgresStatement {
        let (columns, values) =
            switch mode {
            case .sync:
                (
                    "status, mode, started_at, lease_expires_at",
                    "'executing', 'sync', now(), now() + $8::float8 * interval '1 millisecond'"
                )
            case .async: ("status, mode, queued_at", "'pending', 'async', now()")
            }
        var parameters: [any PostgresEncodable] = [
            tenantID, connectorID, PostgresJSON(input.serializedString()), replayOf, createdBy.userID,
            createdBy.name, connectorVersion,
        ]
        if mode == .sync { parameters.append(syncLeaseMilliseconds) }
        return PostgresStatement(
            """
            INSERT INTO connector_executions
                (tenant_id, connector_id, input, replay_of, created_by, created_by_name, \(columns))
            SELECT c.tenant_id, c.id, $3, $4::uuid, $5::uuid, $6::text, \(values)
            FROM connectors c
            WHERE c.tenant_id = $1 AND c.id = $2
              AND ($7::text IS NULL OR c.xmin::text = $7::text)
              AND ($4::uuid IS NULL
                   OR EXISTS (SELECT 1 FROM connector_executions r WHERE r.tenant_id = $1 AND r.id = $4::uuid))
            RETURNING id
            """, parameters)
    }

    /// Records how a run ended, if the caller still holds it: the run must be executing, claimed by
    /// `leaseOwner` (nil for a synchronous run) exactly `claims` times. A node whose lease ran out
    /// and whose run was taken over therefore cannot overwrite the retry's result. Returns whether
    /// the row was written.
    static func finish(
        _ id: UUID, outcome: ExecutionOutcome, leaseOwner: String?, claims: Int,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let statement = finish(id, outcome: outcome, leaseOwner: leaseOwner, claims: claims)
        return try await connection.execute(statement.sql, statement.parameters) == 1
    }

    /// The statement of `finish`; it changes one row when the run was recorded.
    static func finish(_ id: UUID, outcome: ExecutionOutcome, leaseOwner: String?, claims: Int)
        -> PostgresStatement
    {
        let columns = OutcomeColumns(outcome)
        return PostgresStatement(
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
