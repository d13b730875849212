import Foundation
import JSON
import Postgres

/// One tenant's connector executions: recording runs, reading History, replaying.
///
/// **Nothing handed to this store may hold a secret.** It stores exactly what it is given: `input`
/// must already be redacted by the caller (no credentials, no Authorization header, no api_key
/// query value), and outcomes come from `CustomHTTPExecutor`, whose request, response excerpt,
/// mapped values and errors are already scrubbed of the connector's auth.
///
/// Every call runs in a transaction confined to the tenant (`Database.tenant`), so row-level
/// security keeps other tenants' executions out of reach even if a filter were forgotten.
public struct ExecutionStore: Sendable {
    /// The channel a queued execution is announced on, so idle workers wake at once.
    public static let channel = "connector_executions"

    public let database: Database
    public let tenantID: UUID
    /// How long a synchronous run may stay executing before a worker gives it up as lost (its node
    /// died mid-request). Far longer than any run's timeout and retries.
    public var syncLease: Duration

    public init(database: Database, tenantID: UUID, syncLease: Duration = .seconds(15 * 60)) {
        self.database = database
        self.tenantID = tenantID
        self.syncLease = syncLease
    }

    /// Records a synchronous run, executing from now on; the caller runs it and calls `finish`.
    /// `input` must already be redacted. Throws `notFound` when the connector is not this tenant's,
    /// and `ConnectorChanged` when `connectorVersion` is given and the connector's row is no longer
    /// at that version (the caller read it from a cache: read it again).
    public func start(
        connectorID: UUID, input: JSON, createdBy: ExecutionCreator, replayOf: UUID? = nil,
        connectorVersion: String? = nil
    ) async throws -> UUID {
        try await insert(connectorID, .sync, input, createdBy, replayOf, connectorVersion)
    }

    /// Queues a run for any node's `ExecutionWorker` (pending) and wakes idle workers with a
    /// notification sent when the transaction commits. `input` must already be redacted; the
    /// errors are `start`'s.
    public func enqueue(
        connectorID: UUID, input: JSON, createdBy: ExecutionCreator, replayOf: UUID? = nil,
        connectorVersion: String? = nil
    ) async throws -> UUID {
        try await insert(connectorID, .async, input, createdBy, replayOf, connectorVersion)
    }

    /// Records how a synchronous run ended: completed or failed, with the redacted request, the
    /// output, timings and error. Returns false when the run was no longer executing (already
    /// finished, or given up as lost); queued runs are finished by their worker, never here.
    @discardableResult
    public func finish(_ id: UUID, outcome: ExecutionOutcome) async throws -> Bool {
        let results = try await database.tenantPipeline(
            tenantID, settings: Self.relaxedDurability,
            [ExecutionQueries.finish(id, outcome: outcome, leaseOwner: nil, claims: 0)])
        return results[0].rowsAffected == 1
    }

    /// The execution `id` with its input, request and output; nil when this tenant has none such.
    public func get(_ id: UUID) async throws -> ExecutionRecord? {
        try await database.tenant(tenantID, readOnly: true) { connection in
            let row = try await connection.queryFirst(
                "SELECT \(ExecutionQueries.summaryColumns), input, request, output FROM connector_executions "
                    + "WHERE tenant_id = $1 AND id = $2", [tenantID, id])
            guard let row else { return nil }
            return ExecutionRecord(
                summary: try ExecutionQueries.summary(row),
                input: try ExecutionQueries.json(row, "input") ?? [:],
                request: try ExecutionQueries.json(row, "request"),
                output: try ExecutionQueries.json(row, "output"))
        }
    }

    /// A page of the connector's executions, newest first: at most `limit` (1...100) of those
    /// older than `before`. Keyset paging, so runs recorded meanwhile never shift a page.
    public func list(connectorID: UUID, limit: Int = 25, before: ExecutionCursor? = nil) async throws
        -> ExecutionPage
    {
        let (rows, next) = try await page(connectorID: connectorID, limit: limit, before: before, columns: "")
        return ExecutionPage(executions: try rows.map(ExecutionQueries.summary), next: next)
    }

    /// Up to `limit` (1...100) rows of the connector's executions older than `before`, newest first,
    /// with the summary's columns plus `extraColumns` (", input, output"), and the next page's cursor.
    func page(connectorID: UUID, limit: Int, before: ExecutionCursor?, columns extraColumns: String)
        async throws -> ([PostgresRow], ExecutionCursor?)
    {
        let limit = min(max(limit, 1), 100)
        let rows = try await database.tenant(tenantID, readOnly: true) { connection in
            try await connection.query(
                """
                SELECT \(ExecutionQueries.summaryColumns)\(extraColumns),
                       (extract(epoch FROM created_at) * 1000000)::int8 AS created_micros
                FROM connector_executions
                WHERE tenant_id = $1 AND connector_id = $2
                  AND ($3::int8 IS NULL
                       OR (created_at, id) < (timestamptz 'epoch' + $3::int8 * interval '1 microsecond', $4::uuid))
                ORDER BY created_at DESC, id DESC
                LIMIT $5
                """,
                [tenantID, connectorID, before?.createdAtMicroseconds, before?.id, limit + 1])
        }
        let page = Array(rows.prefix(limit))
        var next: ExecutionCursor?
        if rows.count > limit, let last = page.last {
            next = ExecutionCursor(
                createdAtMicroseconds: try last.decode("created_micros"), id: try last.decode("id"))
        }
        return (page, next)
    }

    /// The connector and stored input of execution `id`, to run again (pass `replayOf: id` to
    /// `start` or `enqueue`). Throws `notFound` when this tenant has no such execution.
    public func replay(_ id: UUID) async throws -> ExecutionReplay {
        let row = try await database.tenant(tenantID, readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT connector_id, input FROM connector_executions WHERE tenant_id = $1 AND id = $2",
                [tenantID, id])
        }
        guard let row else { throw AppError.notFound("The execution") }
        return ExecutionReplay(
            executionID: id, connectorID: try row.decode("connector_id"),
            input: try ExecutionQueries.json(row, "input") ?? [:])
    }

    /// Thrown by `start` and `enqueue` when the connector changed after the caller read it.
    public struct ConnectorChanged: Error {}

    /// Each write is one transaction sent in one round trip.
    private func insert(
        _ connectorID: UUID, _ mode: ExecutionMode, _ input: JSON, _ createdBy: ExecutionCreator,
        _ replayOf: UUID?, _ connectorVersion: String?
    ) async throws -> UUID {
        var statements = [
            ExecutionQueries.insert(
                tenantID: tenantID, connectorID: connectorID, mode: mode, input: input, createdBy: createdBy,
                replayOf: replayOf, syncLeaseMilliseconds: Self.milliseconds(syncLease),
                connectorVersion: connectorVersion)
        ]
        if mode == .async { statements.append(PostgresStatement("SELECT pg_notify($1, '')", [Self.channel])) }
        let results = try await database.tenantPipeline(
            tenantID, settings: mode == .sync ? Self.relaxedDurability : [], statements)
        if let row = results[0].first { return try row.decode("id") }
        if connectorVersion != nil { throw ConnectorChanged() }
        // Nothing was inserted: say which of the two was missing.
        if let replayOf, try await get(replayOf) == nil { throw AppError.notFound("The replayed execution") }
        throw AppError.notFound("The connector")
    }

    /// Lets the record of a synchronous run commit without waiting for its WAL flush, which is most
    /// of what recording costs the request. Its caller gets the outcome in the response either way;
    /// a PostgreSQL crash may lose the last fraction of a second of such records (a lost finish leaves
    /// the run executing until its lease runs out, and it is then given up as lost). Queued runs and
    /// workers' writes stay fully durable: losing one of those would drop or repeat work.
    static let relaxedDurability: [(name: String, value: String)] = [("synchronous_commit", "off")]

    static func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        return Int(parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)
    }
}
