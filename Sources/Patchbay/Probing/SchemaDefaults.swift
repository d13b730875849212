import JSON

/// Fills in the `default` of every property a config leaves out, as the form would have.
///
/// A config saved before a field with a default was added (a minor manifest version) still tests
/// with the value the manifest promises. Nested objects get the same treatment; values present are
/// never replaced, and `oneOf`/`if` branches are not guessed at.
enum SchemaDefaults {
    static func applying(_ schema: JSON, to value: JSONObject) -> JSONObject {
        guard let properties = schema["properties"]?.object else { return value }
        var filled = value
        for (name, property) in properties {
            if let present = filled[name] {
                if case .object(let nested) = present, property["properties"] != nil {
                    filled[name] = .object(applying(property, to: nested))
                }
            } else if let fallback = property["default"] {
                filled[name] = fallback
            }
        }
        return filled
    }
}
