import JSON

/// The JSON a form submission stands for, plus the inputs that could not be read.
public struct FormSubmission: Sendable {
    /// The decoded object; empty inputs are left out.
    public var value: JSON
    /// Field path → messages, for inputs that could not be converted ("must be a whole number") and,
    /// after `Schema.decodeForm`, for schema violations.
    public var fieldErrors: [String: [String]]
    /// Only the inputs that could not be converted (a letter in a number field, an unknown option):
    /// problems no later step can see, because those inputs are missing from `value`.
    public var inputErrors: [String: [String]] = [:]

    public var isValid: Bool { fieldErrors.isEmpty }
}

extension Schema {
    /// Turns form-urlencoded pairs back into JSON typed per the schema, then validates it.
    ///
    /// Names are those of `formFields(namePrefix:)`: `config.port`, `config.headers[0].key`,
    /// `config.auth.auth_type`; rows may also be posted unindexed (`config.headers[][key]`,
    /// `config.hosts[]`), numbered in the order they arrive. Integers and numbers are parsed; a checkbox that is absent is false;
    /// an empty input is left out; list rows are gathered by index (rows left entirely empty are
    /// dropped); only the chosen `oneOf` option's inputs are read. Unreadable inputs become field
    /// errors, and for those fields a "is required" from validation is not repeated.
    public func decodeForm(_ pairs: [(name: String, value: String)], namePrefix: String = "")
        -> FormSubmission
    {
        var decoder = FormDecoder(pairs: pairs)
        let value = JSON.object(decoder.decodeObject(formFields(namePrefix: namePrefix)))
        var errors = decoder.errors
        for error in validate(value).errors {
            if error.keyword == "required", errors[error.fieldPath] != nil { continue }
            if errors[error.fieldPath]?.contains(error.message) == true { continue }
            errors[error.fieldPath, default: []].append(error.message)
        }
        return FormSubmission(value: value, fieldErrors: errors, inputErrors: decoder.errors)
    }
}

/// Reads submitted values field by field.
struct FormDecoder {
    /// All values per input name, in submission order.
    private let values: [String: [String]]
    private(set) var errors: [String: [String]] = [:]

    init(pairs: [(name: String, value: String)]) {
        var values: [String: [String]] = [:]
        var rows: [String: Int] = [:]
        for (name, value) in pairs { values[Self.indexed(name, rows: &rows), default: []].append(value) }
        self.values = values
    }

    /// Rows posted without indices, as HTML forms with repeatable rows send them, get their index
    /// from their order: the n-th `headers[][key]` is `headers[n].key`, the n-th `hosts[]` is
    /// `hosts[n]`. Indexed names pass unchanged.
    static func indexed(_ name: String, rows: inout [String: Int]) -> String {
        let characters = Array(name)
        guard
            let open = characters.indices.first(where: {
                $0 + 1 < characters.count && characters[$0] == "[" && characters[$0 + 1] == "]"
            })
        else { return name }
        let index = rows[name, default: 0]
        rows[name] = index + 1
        var rest = characters[(open + 2)...]
        if rest.first == "[", let close = rest.firstIndex(of: "]") {
            rest = ["."] + rest[(rest.startIndex + 1)..<close] + rest[(close + 1)...]
        }
        return String(characters[..<open]) + "[\(index)]" + String(rest)
    }

    /// Decodes top-level fields, read from their own names.
    mutating func decodeObject(_ fields: [FormField]) -> JSONObject {
        var object = JSONObject()
        for field in fields {
            guard let value = decode(field, name: field.name, path: field.path) else { continue }
            if field.key.isEmpty, case .object(let members) = value {
                // The root's own choice: its option's values are the root's members.
                for (key, member) in members { object[key] = member }
            } else {
                object[field.key] = value
            }
        }
        return object
    }

    /// Decodes nested fields, read from `name.key` (names inside list rows depend on the row).
    mutating func decodeObject(_ fields: [FormField], name: String, path: String) -> JSONObject {
        var object = JSONObject()
        for field in fields {
            let childPath = path.isEmpty ? field.key : "\(path).\(field.key)"
            if let value = decode(field, name: "\(name).\(field.key)", path: childPath) {
                object[field.key] = value
            }
        }
        return object
    }

    /// The value of one field, read from `name`; errors are filed under `path`.
    mutating func decode(_ field: FormField, name: String, path: String) -> JSON? {
        switch field.kind {
        case .text, .textarea, .secret:
            return text(name).map(JSON.string)
        case .number(let input):
            return number(name, input: input, path: path)
        case .checkbox:
            guard let raw = values[name]?.last else { return .bool(false) }
            return .bool(!["", "false", "off", "0", "no"].contains(raw.lowercased()))
        case .select(let options):
            guard let raw = text(name) else { return nil }
            return option(raw, in: options, path: path)
        case .multiSelect(let options):
            let raws = (values[name] ?? []) + rows(of: name).compactMap { text($0.name) }
            let chosen = raws.filter { !$0.isEmpty }.compactMap { option($0, in: options, path: path) }
            return chosen.isEmpty ? nil : .array(chosen)
        case .list(let item):
            var elements: [JSON] = []
            for row in rows(of: name) {
                if let value = decode(item, name: row.name, path: "\(path)[\(elements.count)]") {
                    elements.append(value)
                }
            }
            return elements.isEmpty ? nil : .array(elements)
        case .keyValueList(let key, let value):
            return objectRows([key, value], name: name, path: path)
        case .objectList(let fields):
            return objectRows(fields, name: name, path: path)
        case .fieldset(let fields):
            let object = decodeObject(fields, name: name, path: path)
            return object.isEmpty && !field.isRequired ? nil : .object(object)
        case .choice(let choice):
            return decodeChoice(choice, name: name, path: path)
        }
    }

    private func text(_ name: String) -> String? {
        guard let raw = values[name]?.last, !raw.isEmpty else { return nil }
        return raw
    }

    private mutating func number(_ name: String, input: NumberInput, path: String) -> JSON? {
        guard let raw = text(name)?.trimmingWhitespace, !raw.isEmpty else { return nil }
        if let parsed = try? JSON(parsing: raw), parsed.isNumber {
            if !input.isInteger { return parsed }
            if let integer = parsed.int64 { return .int(integer) }
        }
        errors[path, default: []].append(input.isInteger ? "must be a whole number" : "must be a number")
        return nil
    }

    private mutating func option(_ raw: String, in options: [FormOption], path: String) -> JSON? {
        if let match = options.first(where: { $0.formValue == raw }) { return match.value }
        errors[path, default: []].append("must be one of the listed options")
        return nil
    }

    /// The rows submitted for a list, as `name[index]` prefixes in index order.
    private func rows(of name: String) -> [(index: Int, name: String)] {
        let opening = name + "["
        var indices: Set<Int> = []
        for key in values.keys where key.hasPrefix(opening) {
            let rest = key.dropFirst(opening.count)
            guard let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]), index >= 0 else {
                continue
            }
            indices.insert(index)
        }
        return indices.sorted().map { ($0, "\(name)[\($0)]") }
    }

    private mutating func objectRows(_ fields: [FormField], name: String, path: String) -> JSON? {
        var elements: [JSON] = []
        for row in rows(of: name) {
            let object = decodeObject(fields, name: row.name, path: "\(path)[\(elements.count)]")
            // A row whose text inputs were all left empty is a row the user did not fill in.
            let hasContent = object.values.contains { if case .bool = $0 { false } else { true } }
            if hasContent { elements.append(.object(object)) }
        }
        return elements.isEmpty ? nil : .array(elements)
    }

    private mutating func decodeChoice(_ choice: FormChoice, name: String, path: String) -> JSON? {
        guard let raw = text("\(name).\(choice.discriminator ?? "_option")") else { return nil }
        guard let option = choice.options.first(where: { $0.formValue == raw }) else {
            errors[path, default: []].append("must be one of the listed options")
            return nil
        }
        var object = decodeObject(option.fields, name: name, path: path)
        if let discriminator = choice.discriminator {
            // Keep the discriminator first, where schemas usually declare it.
            var withDiscriminator = JSONObject()
            withDiscriminator[discriminator] = option.value
            for (key, value) in object { withDiscriminator[key] = value }
            object = withDiscriminator
        }
        return .object(object)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
