import Foundation
import HTTPServer
import JSON
import Patchbay

/// A posted builder form: the connector form's fields (`name`, `tags`, `config.*`, `auth.*`) read as
/// the generic form reads them, plus the builder's own inputs: the request mode, the steps as JSON,
/// whether the connector is enabled, and the sample values "Try it" runs on.
struct BuilderFormInput {
    /// One request (the builder's main path), or the `steps` list edited as JSON.
    enum Mode: String {
        case single, steps
    }

    /// Request fields that belong to each step once a config has steps.
    static let singleRequestKeys = [
        "url", "query_params", "body_type", "body", "content_type", "field_mappings",
    ]

    let base: ConnectorFormInput
    let mode: Mode
    /// The steps as typed, kept to show back.
    let stepsText: String
    /// The parsed steps in `steps` mode; nil when there are none or they are not a JSON list.
    let steps: JSON?
    let stepsErrors: [String]

    init(_ form: HTTPQuery, type: ConnectorType) {
        base = ConnectorFormInput(form, type: type)
        mode = Mode(rawValue: form["builder_mode"] ?? "") ?? .single
        stepsText = form["_steps_json"] ?? ""
        guard mode == .steps else {
            (steps, stepsErrors) = (nil, [])
            return
        }
        let text = stepsText.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            (steps, stepsErrors) = (nil, ["list at least one step, or switch to a single request"])
        } else if let parsed = try? JSON(parsing: text), case .array = parsed {
            (steps, stepsErrors) = (parsed, [])
        } else {
            (steps, stepsErrors) = (nil, [#"must be a JSON list of steps: [{"name": "lookup", "url": "…"}]"#])
        }
    }

    var form: HTTPQuery { base.form }

    /// The connector's settings: in steps mode the single request's fields give way to `steps`.
    var configValue: JSONObject {
        var config = base.configValue
        switch mode {
        case .single:
            _ = config.removeValue(forKey: "steps")
        case .steps:
            for key in Self.singleRequestKeys { _ = config.removeValue(forKey: key) }
            if let steps { config["steps"] = steps }
        }
        return config
    }

    /// Inputs the service cannot see problems with: unreadable fields and steps that are not JSON.
    var inputErrors: [String: [String]] {
        var errors = base.inputErrors
        if !stepsErrors.isEmpty { errors["config.steps", default: []] += stepsErrors }
        return errors
    }

    /// The "Enabled" box: a hidden `false` precedes it, so the last value wins.
    var isEnabled: Bool { form.values(for: "enabled").last == "true" }

    func draft(catalogKey: String) -> ConnectorDraft {
        var draft = base.draft(catalogKey: catalogKey)
        draft.config = configValue
        return draft
    }

    func changes(expectedVersion: Int?) -> ConnectorChanges {
        var changes = base.changes(expectedVersion: expectedVersion, upgrade: false)
        changes.config = .replace(configValue)
        return changes
    }

    /// Credential changes for a trial: an edit's field-by-field changes, or what a new one typed in.
    func trialAuth(isEdit: Bool) -> [String: AuthFieldChange] {
        if isEdit { return changes(expectedVersion: nil).auth }
        return Dictionary(
            (base.auth.value.object ?? [:]).map { ($0.key, AuthFieldChange.set($0.value)) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The sample values of `_sample`: `{"contact": {...}, "input": {...}}` (either may be left out).
    func sample() throws -> (contact: JSON, input: JSON) {
        let text = (form["_sample"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return ([:], [:]) }
        guard case .object(let object)? = try? JSON(parsing: text),
            object.keys.allSatisfy({ $0 == "contact" || $0 == "input" }),
            object["contact"].map({ $0.object != nil }) ?? true,
            object["input"].map({ $0.object != nil }) ?? true
        else {
            throw AppError.validation([
                "_sample": [#"must be a JSON object like {"contact": {"email": "…"}, "input": {"id": "…"}}"#]
            ])
        }
        return (object["contact"] ?? [:], object["input"] ?? [:])
    }
}
