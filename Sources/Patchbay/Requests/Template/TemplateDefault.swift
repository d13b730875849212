import JSON

/// The one filter templates know: `default: "text"`, `default: 'text'`, `default: 42`,
/// `default: true`, `default: null`.
enum TemplateDefault {
    static func parse(_ filter: String, at offset: Int) throws(RequestError) -> JSON {
        guard filter.hasPrefix("default") else {
            let name = filter.prefix { $0 != ":" && $0 != " " }
            throw .syntax("unknown filter '\(name)' (only 'default' is supported)", at: offset)
        }
        let afterName = String(filter.dropFirst("default".count)).trimmingTemplateSpace()
        guard afterName.hasPrefix(":") else { throw .syntax("expected ':' after 'default'", at: offset) }
        let literal = String(afterName.dropFirst()).trimmingTemplateSpace()
        guard let value = self.literal(literal) else {
            throw .syntax("default needs a quoted string, a number, true, false or null", at: offset)
        }
        return value
    }

    private static func literal(_ text: String) -> JSON? {
        if text.hasPrefix("'") { return singleQuoted(text).map(JSON.string) }
        guard let value = try? JSON(parsing: text) else { return nil }
        switch value {
        case .array, .object: return nil
        default: return value
        }
    }

    /// `'it\'s'` → `it's`; nil unless the quote closes at the very end.
    private static func singleQuoted(_ text: String) -> String? {
        var result = ""
        var escaped = false
        var iterator = text.dropFirst().makeIterator()
        while let character = iterator.next() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "'" {
                return iterator.next() == nil ? result : nil
            } else {
                result.append(character)
            }
        }
        return nil
    }
}
