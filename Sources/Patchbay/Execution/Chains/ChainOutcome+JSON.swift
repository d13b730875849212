import FoundationEssentials
import JSON

extension ChainOutcome {
    /// The chain as snake_case JSON for the chains API: `{status, contact, steps: [{name,
    /// execution_id, …the connector's outcome}], skipped, error, duration_ms}`.
    public func json() -> JSON {
        var object: JSONObject = [
            "status": .string(status.rawValue), "contact": .object(contact),
            "steps": .array(
                steps.map { step in
                    var stepObject = step.outcome.json().object ?? [:]
                    stepObject["name"] = .string(step.name)
                    stepObject["execution_id"] =
                        step.executionID.map { .string($0.uuidString.lowercased()) } ?? .null
                    return .object(stepObject)
                }),
            "duration_ms": .int(Int64(durationMs)),
        ]
        if !skipped.isEmpty { object["skipped"] = .array(skipped.map(JSON.string)) }
        if let error { object["error"] = error.json }
        return .object(object)
    }
}
