import Foundation
import JSON
import JSONSchema
import Patchbay
import Templating

/// What the fields of one form section (`config` or `auth`) are rendered with besides their schema.
struct FieldContext: Sendable {
    /// Texts as they were submitted, by input name: kept as typed after a 422, even when unreadable.
    var submitted: [String: String] = [:]
    /// Messages by field path (`config.port`), which is also each field's input name.
    var errors: [String: [String]] = [:]
    /// Stored credentials (editing): secrets show "saved" and may be cleared.
    var stored: [String: AuthFieldState] = [:]
    /// Schema defaults fill empty fields (a new install).
    var usesDefaults = false
    /// The live validation endpoint ("" turns it off).
    var liveURL = ""
    /// `x-widget` hints by input name (`config.body` → `textarea`).
    var widgets: [String: String] = [:]
}

/// Turns schema form fields into the `partials/form-field` view model (docs/frontend.md).
struct FormFieldModel {
    let context: FieldContext

    func fields(_ fields: [FormField], values: JSONObject?) -> [TemplateValue] {
        fields.map { field($0, value: field($0, in: values)) }
    }

    private func field(_ field: FormField, in values: JSONObject?) -> JSON? {
        if field.key.isEmpty { return values.map(JSON.object) }
        if let value = values?[field.key] { return value }
        return context.usesDefaults ? field.defaultValue : nil
    }

    func field(_ field: FormField, value: JSON?) -> TemplateValue {
        var model = Self.blank(field, errors: context.errors[field.name] ?? [])
        model["live_url"] = .string(context.liveURL)
        let text = context.submitted[field.name] ?? value.map(Self.text) ?? ""
        switch field.kind {
        case .text(let type):
            let widget = context.widgets[field.name]
            if widget == "textarea" || widget == "code" {
                model.textarea(text, rows: "6")
            } else {
                model.input(
                    kind: ["url", "email"].contains(type.rawValue) ? type.rawValue : "text",
                    type: type.rawValue)
                model["value"] = .string(text)
            }
        case .textarea:
            model.textarea(text, rows: "4")
        case .number(let input):
            model.input(kind: "number", type: "number")
            model["value"] = .string(text)
            model["min"] = .string(input.minimum.map(Self.text) ?? "")
            model["max"] = .string(input.maximum.map(Self.text) ?? "")
            model["step"] = .string(input.step.map(Self.text) ?? "any")
        case .secret:
            secret(field, into: &model)
        case .checkbox:
            model.kind("checkbox", flag: "is_checkbox")
            let submitted = context.submitted[field.name].map { $0 == "true" }
            model["checked"] = .bool(submitted ?? value?.bool ?? false)
        case .select(let options), .multiSelect(let options):
            model.kind("select", flag: "is_select")
            let chosen = Self.chosen(value, submitted: context.submitted[field.name])
            model["options"] = .list(
                options.map {
                    [
                        "value": .string($0.formValue), "label": .string($0.label),
                        "selected": .bool(chosen.contains($0.formValue)),
                    ]
                })
            if case .multiSelect = field.kind {
                model["multiple"] = true
            } else if !field.isRequired || chosen.isEmpty {
                // A required select with nothing chosen yet asks, rather than showing its first option.
                model["blank_option"] = true
                if field.isRequired { model["placeholder"] = "Choose…" }
            }
        case .list:
            model.kind("list", flag: "is_list")
            model["items"] = .list((value?.array ?? []).map { .string(Self.text($0)) })
            model["errors"] = .list(rowErrors(field).map(TemplateValue.string))
        case .keyValueList(let key, let valueField) where key.key == "key" && valueField.key == "value":
            model.kind("keyvalue-list", flag: "is_keyvalue")
            model["pairs"] = .list(
                (value?.array ?? []).map {
                    [
                        "key": .string(($0["key"]).map(Self.text) ?? ""),
                        "value": .string(($0["value"]).map(Self.text) ?? ""),
                    ]
                })
            model["errors"] = .list(rowErrors(field).map(TemplateValue.string))
        case .keyValueList(let key, let valueField):
            return rows(field, children: [key, valueField], value: value, model: model)
        case .objectList(let children):
            return rows(field, children: children, value: value, model: model)
        case .fieldset(let children):
            model.kind("fieldset", flag: "is_fieldset")
            model["fields"] = .list(fields(children, values: value?.object))
            model["live_url"] = ""
        case .choice(let choice):
            return self.choice(field, choice, value: value?.object)
        }
        model["has_errors"] = .bool(model["errors"].map { $0.isTruthy } ?? false)
        return .object(TemplateObject(model))
    }

    /// A password input that never shows the stored value; a saved one can be kept, replaced or cleared.
    private func secret(_ field: FormField, into model: inout [String: TemplateValue]) {
        model.input(kind: "password", type: "password")
        model["autocomplete"] = "new-password"
        model["live_url"] = ""  // re-rendering the field would empty what was typed
        guard let saved = context.stored[field.key], saved.isSecret else { return }
        model["placeholder"] = "Saved — leave blank to keep"
        model["required"] = false  // a value is saved: the browser must not insist on a new one
        model["saved"] = .string(
            "Saved \(ViewFormatting.display(saved.updatedAt))\(saved.updatedBy.isEmpty ? "" : " by \(saved.updatedBy)") · \(saved.fingerprint)"
        )
        if !field.isRequired { model["clear_name"] = .string("auth_clear.\(field.key)") }
    }

    /// A `oneOf` of objects: radios to pick the option, then that option's fields only. Changing the
    /// option re-renders the whole group (live), or with the "Use this method" button without JavaScript.
    private func choice(_ field: FormField, _ choice: FormChoice, value: JSONObject?) -> TemplateValue {
        let selectorKey = choice.discriminator ?? "_option"
        let picked = context.submitted[choice.selectorName] ?? value?[selectorKey].map(Self.text)
        let index =
            choice.options.firstIndex { $0.formValue == picked } ?? choice.defaultOption ?? 0
        // The root of an auth schema is a choice of methods: its radios need no second heading.
        let label = field.key.isEmpty && field.label == "Method" ? "Authentication method" : field.label
        var radios = Self.blank(
            name: choice.selectorName, label: label, errors: context.errors[choice.selectorName] ?? [],
            required: true)
        radios.kind("choice", flag: "is_choice")
        radios["options"] = .list(
            choice.options.enumerated().map { position, option in
                [
                    "value": .string(option.formValue), "label": .string(option.label),
                    "selected": .bool(position == index),
                    "option_id": .string(Self.id(choice.selectorName) + "-\(position)"),
                ]
            })
        radios["has_errors"] = .bool(!(context.errors[choice.selectorName] ?? []).isEmpty)
        radios["live_url"] = .string(context.liveURL)
        radios["live_target"] = "closest .fieldset"
        radios["refresh_label"] = "Use this method"
        var group = Self.blank(field, errors: context.errors[field.name] ?? [])
        group.kind("fieldset", flag: "is_fieldset")
        group["id"] = .string(Self.id(field.name) + "-choice")
        group["plain"] = true
        let option = choice.options.isEmpty ? nil : choice.options[index]
        group["help"] = .string(option?.description ?? field.description ?? "")
        group["fields"] = .list(
            [.object(TemplateObject(radios))] + fields(option?.fields ?? [], values: value))
        group["has_errors"] = .bool(!(context.errors[field.name] ?? []).isEmpty)
        return .object(TemplateObject(group))
    }

    /// Rows of several inputs each (not a plain key/value pair): a fieldset per row, plus one empty row.
    private func rows(_ field: FormField, children: [FormField], value: JSON?, model: [String: TemplateValue])
        -> TemplateValue
    {
        var model = model
        model.kind("fieldset", flag: "is_fieldset")
        model["live_url"] = ""
        let existing = value?.array ?? []
        model["fields"] = .list(
            (0...existing.count).map { index -> TemplateValue in
                let named = children.map { child -> FormField in
                    var copy = child
                    copy.name = field.rowName(index, child)
                    // The browser must not insist on the spare empty row (the decoder skips empty rows);
                    // a half-filled row is still refused by the schema, with "Row 2 key: is required".
                    copy.isRequired = false
                    return copy
                }
                var row = Self.blank(
                    name: field.rowName(index), label: "Row \(index + 1)", errors: [], required: false)
                row.kind("fieldset", flag: "is_fieldset")
                row["live_url"] = ""
                row["fields"] = .list(
                    fields(named, values: index < existing.count ? existing[index].object : nil))
                return .object(TemplateObject(row))
            })
        model["has_errors"] = .bool(!(context.errors[field.name] ?? []).isEmpty)
        return .object(TemplateObject(model))
    }

    /// Errors of a list's rows, shown on the list: "Row 2 key: is required".
    private func rowErrors(_ field: FormField) -> [String] {
        var messages = context.errors[field.name] ?? []
        for (path, list) in context.errors.sorted(by: { $0.key < $1.key })
        where path.hasPrefix(field.name + "[") {
            let rest = path.dropFirst(field.name.count + 1)
            let number = Int(rest.prefix { $0.isNumber }).map { $0 + 1 } ?? 0
            let child = rest.drop { $0 != "." }.dropFirst()
            messages += list.map { "Row \(number)\(child.isEmpty ? "" : " \(child)"): \($0)" }
        }
        return messages
    }

    // MARK: Shared pieces

    /// Every key the field partial reads, with neutral values (Mustache would look missing keys up in
    /// the enclosing field).
    static func blank(_ field: FormField, errors: [String]) -> [String: TemplateValue] {
        var model = blank(name: field.name, label: field.label, errors: errors, required: field.isRequired)
        model["help"] = .string(field.description ?? "")
        model["placeholder"] = .string(field.placeholder ?? "")
        model["readonly"] = .bool(field.isReadOnly)
        return model
    }

    static func blank(name: String, label: String, errors: [String], required: Bool) -> [String:
        TemplateValue]
    {
        [
            "id": .string(id(name)), "name": .string(name), "label": .string(label), "help": "",
            "placeholder": "",
            "value": "",
            "kind": "text", "is_input": false, "is_textarea": false, "is_select": false, "is_checkbox": false,
            "is_choice": false, "is_keyvalue": false, "is_fieldset": false, "is_list": false,
            "input_type": "text",
            "required": .bool(required), "readonly": false, "disabled": false,
            "errors": .list(errors.map(TemplateValue.string)), "has_errors": .bool(!errors.isEmpty),
            "min": "", "max": "",
            "step": "", "pattern": "", "rows": "", "autocomplete": "", "checked": false, "options": [],
            "pairs": [],
            "fields": [], "items": [], "multiple": false, "clear_name": "", "saved": "", "live_url": "",
            "live_target": "this", "live_field": .string(name), "refresh_label": "", "plain": false,
            "blank_option": false,
        ]
    }

    /// `config.headers[0].key` → `f-config-headers-0-key`, `auth.api_key` → `f-auth-api_key`.
    static func id(_ name: String) -> String {
        "f-" + String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "-" })
    }

    static func text(_ value: JSON) -> String { value.string ?? value.description }

    private static func chosen(_ value: JSON?, submitted: String?) -> Set<String> {
        if let submitted { return [submitted] }
        if let items = value?.array { return Set(items.map(text)) }
        return value.map { [text($0)] } ?? []
    }
}

extension Dictionary where Key == String, Value == TemplateValue {
    /// Sets the kind name and its one true flag.
    fileprivate mutating func kind(_ kind: String, flag: String) {
        self["kind"] = .string(kind)
        self[flag] = true
    }

    fileprivate mutating func input(kind: String, type: String) {
        self.kind(kind, flag: "is_input")
        self["input_type"] = .string(type)
    }

    fileprivate mutating func textarea(_ text: String, rows: String) {
        kind("textarea", flag: "is_textarea")
        self["value"] = .string(text)
        self["rows"] = .string(rows)
    }
}
