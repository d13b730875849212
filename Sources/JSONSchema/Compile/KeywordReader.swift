import JSON

/// Reads keyword values out of one schema object, rejecting values of the wrong type with the JSON
/// Pointer of the offending keyword.
struct KeywordReader {
    let object: JSONObject
    let location: SchemaLocation
    let scope: SchemaScope
    /// How `location` is shown in errors.
    let shownLocation: String

    func has(_ keyword: String) -> Bool { object[keyword] != nil }

    func invalid(_ keyword: String, _ message: String, kind: SchemaError.Kind = .invalidKeyword)
        -> SchemaError
    {
        SchemaError(
            kind: kind, schemaLocation: shownLocation + "/" + JSONPointer.escape(keyword), message: message)
    }

    func string(_ keyword: String) throws(SchemaError) -> String? {
        guard let value = object[keyword] else { return nil }
        guard case .string(let text) = value else { throw invalid(keyword, "'\(keyword)' must be a string") }
        return text
    }

    func bool(_ keyword: String) throws(SchemaError) -> Bool? {
        guard let value = object[keyword] else { return nil }
        guard case .bool(let flag) = value else { throw invalid(keyword, "'\(keyword)' must be a boolean") }
        return flag
    }

    /// A number (kept as JSON so integers stay exact).
    func number(_ keyword: String) throws(SchemaError) -> JSON? {
        guard let value = object[keyword] else { return nil }
        guard value.isNumber else { throw invalid(keyword, "'\(keyword)' must be a number") }
        return value
    }

    func nonNegativeInteger(_ keyword: String) throws(SchemaError) -> Int? {
        guard let value = object[keyword] else { return nil }
        guard let integer = value.int, integer >= 0 else {
            throw invalid(keyword, "'\(keyword)' must be a non-negative integer")
        }
        return integer
    }

    func array(_ keyword: String) throws(SchemaError) -> [JSON]? {
        guard let value = object[keyword] else { return nil }
        guard case .array(let elements) = value else {
            throw invalid(keyword, "'\(keyword)' must be an array")
        }
        return elements
    }

    func members(_ keyword: String) throws(SchemaError) -> JSONObject? {
        guard let value = object[keyword] else { return nil }
        guard case .object(let members) = value else {
            throw invalid(keyword, "'\(keyword)' must be an object")
        }
        return members
    }

    func stringArray(_ keyword: String, in value: JSON? = nil) throws(SchemaError) -> [String]? {
        guard let value = value ?? object[keyword] else { return nil }
        guard case .array(let elements) = value else {
            throw invalid(keyword, "'\(keyword)' must be an array of strings")
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw invalid(keyword, "'\(keyword)' must be an array of strings")
            }
            strings.append(text)
        }
        return strings
    }

    func regex(_ pattern: String, keyword: String) throws(SchemaError) -> ECMARegex {
        do {
            return try ECMARegex(pattern)
        } catch {
            throw invalid(
                keyword,
                "invalid regular expression '\(pattern)': \(error.message) at offset \(error.offset)",
                kind: .invalidPattern)
        }
    }
}
