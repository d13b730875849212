import Foundation
import JSON
import Patchbay
import Templating

/// The step-by-step builder of custom HTTP connectors: `builder` of `partials/builder`.
///
/// It lays out the generic form's fields (same names, values, live checks and secret handling as
/// `ConnectorFormModel`, which it wraps) over five steps, and adds its own: the request mode with the
/// steps as JSON, the mapping rows, "Enabled" and the sample values "Try it" runs on. One `<form>`
/// holds every step, so without JavaScript the steps simply stand one under the other.
struct BuilderModel {
    /// Purpose, type, values, submitted texts and errors, shared with the generic form.
    var form: ConnectorFormModel
    var mode: BuilderFormInput.Mode
    /// The steps JSON as typed; nil shows the stored `steps`.
    var stepsText: String?
    /// The sample values as typed; nil shows `defaultSample`.
    var sample: String?
    var isEnabled: Bool
    /// Whether the caller may run "Try it" (developer and up).
    var canTry = true

    /// Contact fields the variable picker offers (`{{contact.email}}`) besides those in the sample.
    static let contactFields = [
        "id", "email", "first_name", "last_name", "name", "phone", "company", "city", "country",
    ]
    /// What runs pass as `workspace`: the tenant.
    static let workspaceFields = ["id", "slug", "name"]

    static let defaultSample = """
        {
          "contact": {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
          "input": {"id": "42"}
        }
        """

    init(form: ConnectorFormModel, isEnabled: Bool) {
        self.form = form
        self.isEnabled = isEnabled
        mode = form.config?["steps"] == nil ? .single : .steps
    }

    var title: String { form.title }

    /// The form's `id`; a 422 answer replaces this element.
    static let formID = "connector-builder"

    var value: TemplateValue {
        let all = form.allFields()
        let pick = { (names: [String]) in names.compactMap { Self.field($0, in: all) } }
        let basics = pick(["name", "tags", "config.description"])
        let target = pick(["config.method", "config.url"]).map(Self.oneLine)
        let body = pick(["config.body_type", "config.body", "config.content_type"])
        let auth = Self.field("section-credentials", in: all)?["fields"].flatMap(Self.list) ?? []
        let advanced =
            pick(BuilderStep.advancedOrder.map { "config." + $0 }) + [enabledField]
        var shown = ConnectorFormModel.names(in: basics + target + body + auth + advanced)
        shown.formUnion([
            "config.headers", "config.query_params", "config.steps", "config.field_mappings", "_sample",
            "builder_mode",
        ])
        let failing = Set(form.errors.keys.map(BuilderStep.holding))
        let summaryLines = summary(shown: shown)
        let object: [String: TemplateValue] = [
            "id": .string(Self.formID), "action": .string(action), "try_url": .string(tryURL),
            "can_try": .bool(canTry), "title": .string(form.title), "intro": .string(intro),
            "hidden": .list(hidden.map { ["name": .string($0.0), "value": .string($0.1)] }),
            "has_errors": .bool(!form.errors.isEmpty || !form.formErrors.isEmpty),
            "errors": .list(summaryLines.map(TemplateValue.string)),
            "has_summary": .bool(!summaryLines.isEmpty),
            "picker_example": "{{contact.email}}",
            "submit_label": .string(submitLabel), "cancel_url": .string(cancelURL),
            "contact_fields": .string(Self.contactFields.joined(separator: " ")),
            "workspace_fields": .string(Self.workspaceFields.joined(separator: " ")),
            "mode": .string(mode.rawValue),
            "steps": .list(
                BuilderStep.allCases.enumerated().map { index, step in
                    [
                        "key": .string(step.rawValue), "number": .string(String(index + 1)),
                        "label": .string(step.label), "has_errors": .bool(failing.contains(step)),
                    ]
                }),
            "basics": section(.basics, failing, fields: basics),
            "request": section(.request, failing, fields: [modeField]),
            "target": .list(target), "headers": headersValue, "query": queryValue, "body": .list(body),
            "steps_field": stepsField,
            "auth": section(.auth, failing, fields: auth),
            "advanced": section(.advanced, failing, fields: advanced),
            "mappings_step": section(.mappings, failing, fields: [sampleField]),
            "mappings": mappingsValue,
        ]
        return .object(TemplateObject(object))
    }

    private func section(_ step: BuilderStep, _ failing: Set<BuilderStep>, fields: [TemplateValue])
        -> TemplateValue
    {
        let number = (BuilderStep.allCases.firstIndex(of: step) ?? 0) + 1
        return [
            "key": .string(step.rawValue), "label": .string(step.label),
            "number": .string(String(number)), "has_errors": .bool(failing.contains(step)),
            "fields": .list(fields),
        ]
    }

    /// Problems no field of the builder shows, as "Label: message", for the alert above the steps.
    private func summary(shown: Set<String>) -> [String] {
        var messages = form.formErrors
        for (path, list) in form.errors.sorted(by: { $0.key < $1.key }) {
            if shown.contains(path) || ConnectorFormModel.isRow(path, of: shown) { continue }
            let lists = ["config.steps", "config.field_mappings", "config.headers", "config.query_params"]
            if lists.contains(where: { path.hasPrefix($0) }) { continue }
            // A `oneOf` root's problems are spelled out on the method's fields.
            if path == "auth", form.errors.keys.contains(where: { $0.hasPrefix("auth.") }) { continue }
            messages += list.map { "\(ConnectorFormModel.label(path)): \($0)" }
        }
        return messages
    }

    // MARK: Per purpose

    private var connectorPath: String? {
        switch form.purpose {
        case .install: nil
        case .edit(let connector), .upgrade(let connector): "/features/connectors/\(connector.id.lowercased)"
        }
    }

    var action: String { (connectorPath ?? "/features/connectors") + "/builder" }
    var tryURL: String { (connectorPath ?? "/features/connectors") + "/builder/try" }

    private var intro: String {
        switch form.purpose {
        case .install:
            "Describe the request step by step, try it on sample values, then map what comes back. "
                + "New connectors start inactive unless you enable them."
        case .edit(let connector), .upgrade(let connector):
            "\(connector.catalog.name) · version \(connector.catalog.version). Changes apply as soon as you save."
        }
    }

    private var submitLabel: String {
        if case .install = form.purpose { return "Add connector" }
        return "Save changes"
    }

    private var cancelURL: String {
        if case .install = form.purpose { return "/features/connectors/catalog" }
        return form.returnTo
    }

    private var hidden: [(String, String)] {
        switch form.purpose {
        case .install(let entry): [("catalog_key", entry.key)]
        case .edit(let connector), .upgrade(let connector):
            [
                ("connector_id", connector.id.lowercased), ("row_version", String(connector.rowVersion)),
                ("return_to", form.returnTo),
            ]
        }
    }

    // MARK: Finding fields

    /// The field named `name` anywhere in `fields` (fieldsets are searched too).
    static func field(_ name: String, in fields: [TemplateValue]) -> TemplateValue? {
        for field in fields {
            if field["name"] == .string(name) { return field }
            if case .list(let children)? = field["fields"], let found = self.field(name, in: children) {
                return found
            }
        }
        return nil
    }

    /// A long text field (the URL may hold 2,048 characters) as a one-line input, as people expect
    /// a URL to be; other fields pass unchanged.
    static func oneLine(_ field: TemplateValue) -> TemplateValue {
        guard case .object(var object) = field, object["is_textarea"] == true else { return field }
        object["kind"] = "text"
        object["is_textarea"] = false
        object["is_input"] = true
        object["input_type"] = "text"
        object["autocomplete"] = "off"
        // The live check answers with the generic field, which would turn it back into a text area.
        object["live_url"] = ""
        return .object(object)
    }

    private static func list(_ value: TemplateValue) -> [TemplateValue]? {
        if case .list(let items) = value { return items }
        return nil
    }
}
