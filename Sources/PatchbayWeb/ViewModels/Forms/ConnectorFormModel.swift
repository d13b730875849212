import Foundation
import JSON
import JSONSchema
import Patchbay
import Templating

/// The install, configure and upgrade form of a connector: `form` of `partials/connector-form`.
///
/// Fields come from the catalog version's schemas: the name and tags first, then the settings (in
/// fieldsets by their `group` hint), then the credentials. Secrets are never rendered back.
struct ConnectorFormModel {
    enum Purpose {
        case install(CatalogEntry)
        case edit(Connector)
        case upgrade(Connector)
    }

    static let liveURL = "/features/connectors/validate-field"

    var purpose: Purpose
    var type: ConnectorType
    var name = ""
    var tags = ""
    /// Current settings; nil for a new install (fields show the schema's defaults).
    var config: JSONObject?
    /// Current credentials without secrets (method, client id...).
    var auth: JSONObject?
    var submitted: [String: String] = [:]
    var errors: [String: [String]] = [:]
    /// Messages that belong to no field (a conflict, a stale version).
    var formErrors: [String] = []
    /// Where a plain browser goes back to after saving.
    var returnTo = "/features/connectors/installed"
    /// The result of testing the form as filled in (`partials/connection-test-result`), or false.
    var testResult: TemplateValue = false

    /// The `form` object.
    var value: TemplateValue {
        let fields = allFields()
        let shown = Self.names(in: fields)
        var messages = formErrors
        for (path, list) in errors.sorted(by: { $0.key < $1.key })
        where !shown.contains(path) && !Self.isRow(path, of: shown) {
            // Problems of the whole object (a `oneOf` root) are already spelled out on its fields.
            if (path == "auth" || path == "config"), errors.keys.contains(where: { $0.hasPrefix(path + ".") })
            {
                continue
            }
            messages += list.map { "\(Self.label(path)): \($0)" }
        }
        return [
            "id": "connector-form", "action": .string(action), "title": .string(title),
            "intro": .string(intro),
            "hidden": .list(hidden.map { ["name": .string($0.0), "value": .string($0.1)] }),
            "fields": .list(fields), "has_errors": .bool(!errors.isEmpty || !formErrors.isEmpty),
            "errors": .list(messages.map(TemplateValue.string)), "submit_label": .string(submitLabel),
            "cancel_url": .string(cancelURL),
            "test_url": .string(type.manifest.capabilities.contains("test") ? Self.testURL : ""),
            "test_result": testResult,
        ]
    }

    /// Tests the form as filled in, saving nothing.
    static let testURL = "/features/connectors/test"

    /// Every field of the form, for the live validation endpoint to pick one from.
    func allFields() -> [TemplateValue] {
        var context = FieldContext(
            submitted: submitted, errors: errors, usesDefaults: config == nil, liveURL: Self.liveURL,
            widgets: Self.widgets(type.manifest.configSchemaJSON, prefix: "config")
                .merging(Self.widgets(type.manifest.authSchemaJSON, prefix: "auth")) { first, _ in first })
        if case .edit(let connector) = purpose { context.stored = stored(connector) }
        if case .upgrade(let connector) = purpose { context.stored = stored(connector) }
        let model = FormFieldModel(context: context)
        var result = [nameField(model), tagsField(model)]
        result += configSections(model)
        let authFields = type.manifest.authSchema.formFields(namePrefix: "auth")
        if !authFields.isEmpty {
            result.append(
                section(
                    "credentials", label: "Credentials",
                    help:
                        "Stored encrypted. Saved secrets are never shown again; leave them blank to keep them.",
                    fields: model.fields(
                        authFields,
                        values: auth
                            ?? (config == nil ? type.manifest.authSchemaJSON["default"]?.object : nil))))
        }
        return result
    }

    private func stored(_ connector: Connector) -> [String: AuthFieldState] {
        Dictionary(connector.authFields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func nameField(_ model: FormFieldModel) -> TemplateValue {
        var field = FormFieldModel.blank(
            name: "name", label: "Name", errors: errors["name"] ?? [], required: true)
        field["kind"] = "text"
        field["is_input"] = true
        field["value"] = .string(submitted["name"] ?? name)
        field["help"] = "Shown on the card; unique in this workspace."
        field["placeholder"] = .string(type.manifest.name)
        field["live_url"] = .string(Self.liveURL)
        field["autocomplete"] = "off"
        return .object(TemplateObject(field))
    }

    private func tagsField(_ model: FormFieldModel) -> TemplateValue {
        var field = FormFieldModel.blank(
            name: "tags", label: "Tags", errors: errors["tags"] ?? [], required: false)
        field["kind"] = "text"
        field["is_input"] = true
        field["value"] = .string(submitted["tags"] ?? tags)
        field["help"] = "Optional, separated by commas: production, eu, billing."
        field["live_url"] = .string(Self.liveURL)
        field["autocomplete"] = "off"
        return .object(TemplateObject(field))
    }

    /// Settings in fieldsets: ungrouped fields under "Settings", then one fieldset per `group` hint.
    private func configSections(_ model: FormFieldModel) -> [TemplateValue] {
        let fields = type.manifest.configSchema.formFields(namePrefix: "config")
        guard !fields.isEmpty else { return [] }
        var groups: [(String, [FormField])] = [("Settings", [])]
        for field in fields {
            let group = field.group ?? "Settings"
            if let index = groups.firstIndex(where: { $0.0 == group }) {
                groups[index].1.append(field)
            } else {
                groups.append((group, [field]))
            }
        }
        return groups.filter { !$0.1.isEmpty }.map { group, members in
            section(group.lowercased(), label: group, help: "", fields: model.fields(members, values: config))
        }
    }

    private func section(_ key: String, label: String, help: String, fields: [TemplateValue]) -> TemplateValue
    {
        var model = FormFieldModel.blank(name: "section-" + key, label: label, errors: [], required: false)
        model["kind"] = "fieldset"
        model["is_fieldset"] = true
        model["help"] = .string(help)
        model["fields"] = .list(fields)
        return .object(TemplateObject(model))
    }

    // MARK: Per purpose

    private var action: String {
        switch purpose {
        case .install: "/features/connectors"
        case .edit(let connector), .upgrade(let connector): "/features/connectors/\(connector.id.lowercased)"
        }
    }

    var title: String {
        switch purpose {
        case .install(let entry): "Add \(entry.manifest.name)"
        case .edit(let connector): "Configure \(connector.name)"
        case .upgrade(let connector): "Upgrade \(connector.name) to \(type.manifest.version.text)"
        }
    }

    private var intro: String {
        switch purpose {
        case .install(let entry):
            "\(entry.manifest.description) New connectors start inactive; activate them once they are set up."
        case .edit(let connector):
            "\(connector.catalog.name) · version \(connector.catalog.version). Changes apply as soon as you save."
        case .upgrade(let connector):
            "Version \(type.manifest.version.text) of \(connector.catalog.name) changes what it needs. Check the fields "
                + "below; nothing changes until you save."
        }
    }

    private var hidden: [(String, String)] {
        switch purpose {
        case .install(let entry): [("catalog_key", entry.key)]
        case .edit(let connector):
            [
                ("connector_id", connector.id.lowercased), ("row_version", String(connector.rowVersion)),
                ("return_to", returnTo),
            ]
        case .upgrade(let connector):
            [
                ("connector_id", connector.id.lowercased), ("row_version", String(connector.rowVersion)),
                ("return_to", returnTo), ("upgrade", "1"),
            ]
        }
    }

    private var submitLabel: String {
        switch purpose {
        case .install: "Add connector"
        case .edit: "Save changes"
        case .upgrade: "Upgrade and save"
        }
    }

    private var cancelURL: String {
        switch purpose {
        case .install: "/features/connectors/catalog"
        case .edit, .upgrade: returnTo
        }
    }

    // MARK: Helpers

    /// `x-widget` hints of top-level properties (and those of each `oneOf` branch).
    static func widgets(_ schema: JSON, prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for object in [schema] + (schema["oneOf"]?.array ?? []) {
            for (key, property) in object["properties"]?.object ?? [:] {
                if let widget = property["x-widget"]?.string { result[prefix + "." + key] = widget }
            }
        }
        return result
    }

    /// Input names of every field in the tree.
    static func names(in fields: [TemplateValue]) -> Set<String> {
        var names = Set<String>()
        for field in fields {
            if case .string(let name)? = field["name"] { names.insert(name) }
            if case .list(let children)? = field["fields"] { names.formUnion(self.names(in: children)) }
        }
        return names
    }

    static func isRow(_ path: String, of names: Set<String>) -> Bool {
        guard let bracket = path.firstIndex(of: "[") else { return false }
        return names.contains(String(path[..<bracket]))
    }

    /// `config.port` → "Port", for messages listed above the form.
    static func label(_ path: String) -> String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        return last.replacingOccurrences(of: "_", with: " ").capitalized
    }
}
