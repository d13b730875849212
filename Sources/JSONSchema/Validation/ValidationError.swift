import JSON

/// One reason an instance does not satisfy a schema, worded for the person who typed the value.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer to the offending value (for `required`, to the missing property).
    public let instanceLocation: String
    /// The same place as a dotted path, as forms name fields: `auth.api_key`, `headers[2].value`;
    /// empty for the root.
    public let fieldPath: String
    /// The schema keyword that failed, e.g. `minLength`, `required`, `oneOf`.
    public let keyword: String
    /// JSON Pointer to the failing keyword in the schema.
    public let schemaLocation: String
    /// What is wrong, e.g. "must be at least 8 characters", "is required".
    public let message: String

    public init(
        instanceLocation: String, fieldPath: String, keyword: String, schemaLocation: String, message: String
    ) {
        self.instanceLocation = instanceLocation
        self.fieldPath = fieldPath
        self.keyword = keyword
        self.schemaLocation = schemaLocation
        self.message = message
    }

    /// "auth.api_key: is required"; root errors read "(root): ...".
    public var description: String { "\(fieldPath.isEmpty ? "(root)" : fieldPath): \(message)" }
}

/// The outcome of validating one instance.
public struct ValidationResult: Sendable {
    /// Every problem found, in schema order.
    public let errors: [ValidationError]

    public var isValid: Bool { errors.isEmpty }

    /// Messages grouped by field path (the root is `""`), each list without repeats: the shape of the
    /// API's per-field error map and of a form's inline errors.
    public var fieldErrors: [String: [String]] { errors.groupedByField() }
}

extension Array where Element == ValidationError {
    /// Messages grouped by field path (the root is `""`), in order, without repeats.
    public func groupedByField() -> [String: [String]] {
        var grouped: [String: [String]] = [:]
        for error in self where grouped[error.fieldPath]?.contains(error.message) != true {
            grouped[error.fieldPath, default: []].append(error.message)
        }
        return grouped
    }
}

/// One step into an instance: an object member or an array element.
enum PathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)

    static func pointer(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += "/" + JSONPointer.escape(key)
            case .index(let index): text += "/" + String(index)
            }
        }
        return text
    }

    /// `a.b[2].c`; keys that would be ambiguous in that syntax are written `["a.b"]`.
    static func fieldPath(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key):
                if key.isEmpty || key.contains(where: { $0 == "." || $0 == "[" || $0 == "]" || $0 == "\"" }) {
                    text += "[" + JSON.string(key).description + "]"
                } else {
                    text += text.isEmpty ? key : "." + key
                }
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
