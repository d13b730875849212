import Foundation
import JSON

extension ExecutionSummary {
    /// The summary as snake_case JSON for the executions API and the History panel: `{id,
    /// connector_id, status, mode, http_status, error: {kind, message, step}, attempts, duration_ms,
    /// created_at, queued_at, started_at, finished_at, claims, replay_of, created_by}`. Times are
    /// ISO 8601; absent values are null.
    public func json() -> JSON {
        func date(_ value: Date?) -> JSON { value.map { .string($0.ISO8601Format()) } ?? .null }
        func uuid(_ value: UUID?) -> JSON { value.map { .string($0.uuidString.lowercased()) } ?? .null }
        var errorJSON: JSON = .null
        if let error {
            var object: JSONObject = ["kind": errorKind.map(JSON.string) ?? .null, "message": .string(error)]
            if let errorStep { object["step"] = .string(errorStep) }
            errorJSON = .object(object)
        }
        return [
            "id": uuid(id), "connector_id": uuid(connectorID), "status": .string(status.rawValue),
            "mode": .string(mode.rawValue), "http_status": httpStatus.map { .int(Int64($0)) } ?? .null,
            "error": errorJSON, "attempts": .int(Int64(attempts)),
            "duration_ms": durationMs.map { .int(Int64($0)) } ?? .null, "created_at": date(createdAt),
            "queued_at": date(queuedAt), "started_at": date(startedAt), "finished_at": date(finishedAt),
            "claims": .int(Int64(claims)), "replay_of": uuid(replayOf), "created_by": .string(createdBy.name),
        ]
    }
}

extension ExecutionRecord {
    /// The summary's JSON plus `input`, `request` and the output's members (`mapped`,
    /// `mapping_problems`, `raw_response`, `raw_response_truncated`, `steps`, `skipped_steps`).
    public func json() -> JSON {
        var object = summary.json().object ?? JSONObject()
        object["input"] = input
        object["request"] = request ?? .null
        for (key, value) in output?.object ?? JSONObject() { object[key] = value }
        return .object(object)
    }
}
