import JSON

/// Wording of validation messages. Each reads after a field name: "port: must be at most 65535".
enum Messages {
    static func type(_ types: JSONTypes) -> String {
        var names: [String] = []
        if types.contains(.string) { names.append("a string") }
        if types.contains(.number) {
            names.append("a number")
        } else if types.contains(.integer) {
            names.append("a whole number")
        }
        if types.contains(.boolean) { names.append("true or false") }
        if types.contains(.object) { names.append("an object") }
        if types.contains(.array) { names.append("a list") }
        if types.contains(.null) { names.append("null") }
        return "must be " + list(names, conjunction: "or")
    }

    static func oneOfValues(_ values: [JSON]) -> String {
        if values.count == 1 { return "must be \(show(values[0]))" }
        return "must be one of: " + values.map(show).joined(separator: ", ")
    }

    static func constant(_ value: JSON) -> String { "must be \(show(value))" }

    static func length(atLeast limit: Int) -> String {
        limit == 1 ? "must not be empty" : "must be at least \(limit) characters"
    }

    static func length(atMost limit: Int) -> String {
        "must be at most \(limit) character\(limit == 1 ? "" : "s")"
    }

    static func count(_ noun: String, atLeast limit: Int) -> String {
        limit == 1 && noun == "item" ? "must not be empty" : "must have at least \(plural(limit, noun))"
    }

    static func count(_ noun: String, atMost limit: Int) -> String {
        "must have at most \(plural(limit, noun))"
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : noun == "property" ? "\(count) properties" : "\(count) \(noun)s"
    }

    /// A value as it appears in a message: strings bare, everything else as JSON.
    static func show(_ value: JSON) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }

    static func list(_ items: [String], conjunction: String) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return "\(items[0]) \(conjunction) \(items[1])"
        default:
            return items.dropLast().joined(separator: ", ") + ", \(conjunction) " + items[items.count - 1]
        }
    }

    static func option(_ title: String?, index: Int) -> String {
        title.map { "\"\($0)\"" } ?? "option \(index + 1)"
    }
}
