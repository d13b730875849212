import JSON
import Templating

/// The builder's own inputs, as `partials/form-field` fields (every key set, see docs/frontend.md),
/// and the mapping rows of `partials/builder-mappings`.
extension BuilderModel {
    /// One request, or steps edited as JSON.
    var modeField: TemplateValue {
        var field = FormFieldModel.blank(name: "builder_mode", label: "Requests", errors: [], required: true)
        field["kind"] = "choice"
        field["is_choice"] = true
        field["help"] = .string(
            "One request is the usual case. Several steps run in order, each able to read the results of "
                + "the steps before it; they are edited as JSON.")
        let options: [(BuilderFormInput.Mode, String)] = [
            (.single, "One request"), (.steps, "Several steps (JSON)"),
        ]
        field["options"] = .list(
            options.enumerated().map { index, option in
                [
                    "value": .string(option.0.rawValue), "label": .string(option.1),
                    "selected": .bool(option.0 == mode), "option_id": .string("f-builder_mode-\(index)"),
                ]
            })
        return .object(TemplateObject(field))
    }

    /// The `steps` list as JSON text.
    var stepsField: TemplateValue {
        let messages = Self.rowMessages(form.errors, under: "config.steps", row: "Step")
        var field = FormFieldModel.blank(
            name: "_steps_json", label: "Steps (JSON)", errors: messages, required: false)
        field["kind"] = "textarea"
        field["is_textarea"] = true
        field["rows"] = "12"
        field["help"] = .string(
            #"A list of requests, each with a "name" and the fields of a single request ("method", "url", "#
                + #""headers", "query_params", "body_type", "body", "field_mappings"…). Later steps read earlier "#
                + "ones as {{steps.<name>.response.<path>}}, .mapped.<field>, .status or .headers.<name>. Headers "
                + "and the Advanced settings apply to every step that does not set its own.")
        field["placeholder"] = .string(
            #"[{"name": "lookup", "url": "https://api.example.com/people?email={{contact.email}}"}]"#)
        let stored = form.config?["steps"].map { $0.serializedString(options: .prettyPrinted) }
        field["value"] = .string(stepsText ?? stored ?? "")
        return .object(TemplateObject(field))
    }

    var enabledField: TemplateValue {
        var field = FormFieldModel.blank(
            name: "enabled", label: "Enabled", errors: form.errors["enabled"] ?? [], required: false)
        field["kind"] = "checkbox"
        field["is_checkbox"] = true
        field["checked"] = .bool(isEnabled)
        field["help"] = "Enabled connectors can run. Leave it off to finish setting it up first."
        return .object(TemplateObject(field))
    }

    /// The contact and input "Try it" runs on (never saved).
    var sampleField: TemplateValue {
        var field = FormFieldModel.blank(
            name: "_sample", label: "Sample values", errors: form.errors["_sample"] ?? [], required: false)
        field["kind"] = "textarea"
        field["is_textarea"] = true
        field["rows"] = "6"
        field["help"] = .string(
            "The contact and input of a run, as JSON: {{contact.*}} and {{input.*}} read from here. "
                + "Try it and the variable picker use them; they are not saved.")
        field["value"] = .string(sample ?? form.submitted["_sample"] ?? Self.defaultSample)
        return .object(TemplateObject(field))
    }

    var headersValue: TemplateValue {
        pairs(
            "headers", label: "Headers",
            help: "Sent with every request (with several steps, by every step that does not set its own); "
                + "values may use variables.",
            columns: ("key", "Header", "Accept"), ("value", "Value", "application/json"), add: "Add header")
    }

    var queryValue: TemplateValue {
        pairs(
            "query_params", label: "Query parameters",
            help: "Added to the URL, percent-encoded; values may use variables.",
            columns: ("key", "Parameter", "page"), ("value", "Value", "{{input.page}}"), add: "Add parameter")
    }

    /// The field mappings, each `$…` path in the response → an output field.
    var mappingsValue: TemplateValue {
        pairs(
            "field_mappings", label: "Field mappings",
            help: "Copy values out of the JSON response into named output fields. Paths start at the "
                + #"response's root: $.data.id, $.items[0].name, $["first name"]. After Try it, click a "#
                + "value in the response to map it.",
            columns: ("source_path", "Source path", "$.data.id"),
            ("target_field", "Target field", "record_id"),
            add: "Add mapping", isMappings: true)
    }

    /// `partials/builder-pairs` for the list `config.<key>` of two-text rows: the stored or posted rows
    /// plus a blank one, and the problems of the list and of each row.
    private func pairs(
        _ key: String, label: String, help: String, columns first: (String, String, String),
        _ second: (String, String, String), add: String, isMappings: Bool = false
    ) -> TemplateValue {
        let name = "config." + key
        var rows: [TemplateValue] = (form.config?[key]?.array ?? []).map { row in
            [
                "key": .string(row[first.0].map(FormFieldModel.text) ?? ""),
                "value": .string(row[second.0].map(FormFieldModel.text) ?? ""),
            ]
        }
        rows.append(["key": "", "value": ""])
        let messages = Self.rowMessages(form.errors, under: name, row: "Row")
        return [
            "id": .string(FormFieldModel.id(name)), "name": .string(name), "label": .string(label),
            "help": .string(help), "key_field": .string(first.0), "key_label": .string(first.1),
            "key_placeholder": .string(first.2), "value_field": .string(second.0),
            "value_label": .string(second.1), "value_placeholder": .string(second.2),
            "add_label": .string(add),
            "rows": .list(rows), "blank": ["key": "", "value": ""], "is_mappings": .bool(isMappings),
            "errors": .list(messages.map(TemplateValue.string)), "has_errors": .bool(!messages.isEmpty),
        ]
    }

    /// Problems of a list and its rows, one line each: `config.steps[0].url` → "Step 1 url: …".
    static func rowMessages(_ errors: [String: [String]], under name: String, row: String) -> [String] {
        var messages: [String] = []
        for (path, list) in errors.sorted(by: { $0.key < $1.key }) where path.hasPrefix(name) {
            let rest = path.dropFirst(name.count)
            guard rest.isEmpty || rest.hasPrefix("[") else { continue }
            var place = ""
            if rest.hasPrefix("["), let number = Int(rest.dropFirst().prefix { $0.isNumber }) {
                let child = rest.drop { $0 != "]" }.dropFirst().drop { $0 == "." }
                place =
                    "\(row) \(number + 1)"
                    + (child.isEmpty ? "" : " " + String(child).replacing("_", with: " "))
            }
            messages += list.map { place.isEmpty ? $0 : "\(place): \($0)" }
        }
        return messages
    }
}
