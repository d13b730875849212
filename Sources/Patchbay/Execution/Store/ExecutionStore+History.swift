import Foundation
import JSON

/// A page of a connector's executions with their documents, newest first.
public struct ExecutionRecordPage: Sendable {
    public var records: [ExecutionRecord]
    /// Pass as `before` to get the next (older) page; nil on the last page.
    public var next: ExecutionCursor?
}

extension ExecutionStore {
    /// Like `list`, with each execution's input, request and output: what the History panel
    /// expands. Keep `limit` small; an output may hold up to the raw-response cap.
    public func records(connectorID: UUID, limit: Int = 10, before: ExecutionCursor? = nil) async throws
        -> ExecutionRecordPage
    {
        let (rows, next) = try await page(
            connectorID: connectorID, limit: limit, before: before, columns: ", input, request, output")
        let records = try rows.map { row in
            ExecutionRecord(
                summary: try ExecutionQueries.summary(row),
                input: try ExecutionQueries.json(row, "input") ?? [:],
                request: try ExecutionQueries.json(row, "request"),
                output: try ExecutionQueries.json(row, "output"))
        }
        return ExecutionRecordPage(records: records, next: next)
    }

    /// Whether this tenant has connector `id` (an empty History page must tell it from a 404).
    public func hasConnector(_ id: UUID) async throws -> Bool {
        try await database.tenant(tenantID, readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT 1 FROM connectors WHERE tenant_id = $1 AND id = $2", [tenantID, id]) != nil
        }
    }
}
