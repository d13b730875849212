import JSON
import Patchbay
import Templating

/// What "Try it" shows: `result` of `partials/builder-try-result`. Every key is always sent.
enum BuilderTryModel {
    /// A run's outcome: its status, duration, the request as sent (redacted), what the mappings made
    /// of the response, and the response as a tree to map values from (or its text).
    static func value(_ outcome: ExecutionOutcome) -> TemplateValue {
        var result = blank()
        let ok = outcome.status == .completed
        result["ok"] = .bool(ok)
        result["status_label"] = .string(statusLabel(outcome))
        result["duration"] = .string("\(outcome.durationMs) ms")
        if outcome.attempts > 1 { result["attempts"] = .string("\(outcome.attempts) attempts") }
        if let request = outcome.redactedRequest {
            result["request_line"] = .string("\(request.method) \(request.url)")
        }
        if let error = outcome.error { result["error"] = .string(error.message) }
        if !outcome.mapped.isEmpty {
            result["mapped"] = .string(JSON.object(outcome.mapped).serializedString(options: .prettyPrinted))
        }
        result["mapping_problems"] = .list(
            outcome.mappingProblems.map { .string("\($0.sourcePath) → \($0.targetField): \($0.message)") })
        result["has_mapping_problems"] = .bool(!outcome.mappingProblems.isEmpty)
        result["steps"] = .list(
            outcome.steps.map { step in
                [
                    "name": .string(step.name), "ok": .bool(step.outcome.status == .completed),
                    "label": .string(statusLabel(step.outcome)),
                ]
            } + outcome.skippedSteps.map { ["name": .string($0), "ok": false, "label": "Skipped"] })
        result["has_steps"] = .bool(!outcome.steps.isEmpty)
        guard let raw = outcome.rawResponse, !raw.isEmpty else { return .object(TemplateObject(result)) }
        result["truncated"] = .bool(outcome.isRawResponseTruncated)
        if !outcome.isRawResponseTruncated, let json = try? JSON(parsing: raw),
            json.object != nil || json.array != nil
        {
            var tree = JSONTreeModel()
            result["tree"] = .list(tree.nodes(of: json))
            result["has_tree"] = true
            if tree.isCut { result["tree_note"] = .string("Showing the first \(tree.maxNodes) values.") }
        } else {
            result["raw"] = .string(raw)
        }
        return .object(TemplateObject(result))
    }

    /// A trial that was not sent: the problems of the config, one line each with its field's label.
    static func problems(_ fields: [String: [String]], message: String) -> TemplateValue {
        var result = blank()
        result["status_label"] = "Not sent"
        result["error"] = .string(message)
        let problems = fields.sorted { $0.key < $1.key }.flatMap { path, messages in
            messages.map {
                TemplateValue.string("\(BuilderStep.holding(path).label) · \(label(path)): \($0)")
            }
        }
        result["problems"] = .list(problems)
        result["has_problems"] = .bool(!problems.isEmpty)
        return .object(TemplateObject(result))
    }

    /// `config.headers[1].key` → "headers[1].key", `auth.token` → "token".
    private static func label(_ path: String) -> String {
        for prefix in ["config.", "auth."] where path.hasPrefix(prefix) {
            return String(path.dropFirst(prefix.count))
        }
        return path == "_sample" ? "sample values" : path
    }

    private static func statusLabel(_ outcome: ExecutionOutcome) -> String {
        if let status = outcome.httpStatus { return "HTTP \(status)" }
        return outcome.error.map { "Failed: \($0.kind.rawValue.replacing("_", with: " "))" } ?? "Failed"
    }

    private static func blank() -> [String: TemplateValue] {
        [
            "ok": false, "status_label": "", "duration": "", "attempts": "", "request_line": "", "error": "",
            "problems": [], "has_problems": false, "mapped": "", "mapping_problems": [],
            "has_mapping_problems": false, "steps": [], "has_steps": false, "tree": [], "has_tree": false,
            "tree_note": "", "raw": "", "truncated": false,
        ]
    }
}
