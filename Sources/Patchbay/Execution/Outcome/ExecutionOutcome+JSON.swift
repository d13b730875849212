import JSON

extension ExecutionOutcome {
    /// The outcome as snake_case JSON, for the execute API and the `connector_executions` row:
    /// `{status, http_status, mapped, mapping_problems, raw_response, raw_response_truncated,
    /// duration_ms, attempts, error: {kind, message, step}, request: {method, url, headers, body},
    /// steps: [{name, …same fields}], skipped_steps}`. Absent values are left out.
    public func json(maxRequestBodyBytes: Int = 16 * 1024) -> JSON {
        var object: JSONObject = [
            "status": .string(status.rawValue),
            "mapped": .object(mapped),
            "duration_ms": .int(Int64(durationMs)),
            "attempts": .int(Int64(attempts)),
        ]
        if let httpStatus { object["http_status"] = .int(Int64(httpStatus)) }
        if !mappingProblems.isEmpty { object["mapping_problems"] = .array(mappingProblems.map(\.json)) }
        if let rawResponse {
            object["raw_response"] = .string(rawResponse)
            object["raw_response_truncated"] = .bool(isRawResponseTruncated)
        }
        if let error { object["error"] = error.json }
        if let redactedRequest {
            object["request"] = redactedRequest.summary(maxBodyBytes: maxRequestBodyBytes)
        }
        if !steps.isEmpty {
            object["steps"] = .array(
                steps.map { step in
                    var stepObject = step.outcome.json(maxRequestBodyBytes: maxRequestBodyBytes).object ?? [:]
                    stepObject["name"] = .string(step.name)
                    return .object(stepObject)
                })
        }
        if !skippedSteps.isEmpty { object["skipped_steps"] = .array(skippedSteps.map(JSON.string)) }
        return .object(object)
    }
}

extension ExecutionFailure {
    /// `{kind, message, step}`.
    public var json: JSON {
        var object: JSONObject = ["kind": .string(kind.rawValue), "message": .string(message)]
        if let step { object["step"] = .string(step) }
        return .object(object)
    }
}

extension MappingProblem {
    /// `{step, source_path, target_field, message}`.
    public var json: JSON {
        var object: JSONObject = [
            "source_path": .string(sourcePath), "target_field": .string(targetField),
            "message": .string(message),
        ]
        if let step { object["step"] = .string(step) }
        return .object(object)
    }
}
