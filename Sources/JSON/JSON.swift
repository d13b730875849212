#if canImport(Glibc)
    // Links libm, which Double rounding (`rounded()`, `Int64(exactly:)`) calls into on Linux.
    import Glibc
#endif

/// A JSON value.
///
/// Numbers keep their integer-ness: `42` parses as `.int(42)`, while `4.2`, `1.0` and integers that do not
/// fit in `Int64` parse as `.double`. Equality follows JSON semantics rather than representation: `.int(1)`
/// equals `.double(1.0)`, and objects compare without regard to key order.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON {
    /// The seven JSON Schema type names, as `type` keywords spell them.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double(let value): value.isFinite && value.rounded(.towardZero) == value ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether the value is a number (integer or not).
    public var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }

    /// The string payload, if the value is a string.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean payload, if the value is a boolean.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as an `Int64`, if it is a number with no fractional part that fits.
    public var int64: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The value as an `Int`, if it is a number with no fractional part that fits.
    public var int: Int? {
        int64.flatMap { Int(exactly: $0) }
    }

    /// The value as a `Double`, if it is a number (large integers may round).
    public var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The elements, if the value is an array.
    public var array: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if the value is an object.
    public var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member named `key`, if the value is an object that has it.
    public subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index`, if the value is an array long enough.
    public subscript(index: Int) -> JSON? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }
}
