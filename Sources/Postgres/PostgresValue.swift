#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A statement parameter as sent to the server: NULL, a text representation, or binary bytes.
///
/// Text parameters with type `.unspecified` let the server infer the type from the statement, so a
/// Swift `String` can fill a `text`, `varchar`, enum or `jsonb` column alike.
public enum PostgresValue: Sendable, Hashable {
    case null
    /// The value in PostgreSQL's text input format, declared as `type`.
    case text(String, type: PostgresDataType)
    /// The value in PostgreSQL's binary format, declared as `type` (used for `bytea`).
    case binary([UInt8], type: PostgresDataType)

    /// The declared parameter type; `.unspecified` for NULL.
    var dataType: PostgresDataType {
        switch self {
        case .null: .unspecified
        case .text(_, let type), .binary(_, let type): type
        }
    }
}

/// A Swift value that can be bound to a `$n` statement parameter.
public protocol PostgresEncodable: Sendable {
    /// The value as it goes over the wire.
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresEncodable {
    public var postgresValue: PostgresValue { self }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

extension String: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self, type: .unspecified) }
}

extension Substring: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), type: .unspecified) }
}

extension Int: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), type: .int8) }
}

extension Int64: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), type: .int8) }
}

extension Int32: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), type: .int4) }
}

extension Int16: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), type: .int2) }
}

extension Double: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(floatText(self), type: .float8) }
}

extension Float: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(floatText(Double(self)), type: .float4) }
}

/// Swift prints `inf`/`nan`; spell them the way PostgreSQL documents them.
private func floatText(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return String(value)
}

extension Bool: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self ? "t" : "f", type: .bool) }
}

extension UUID: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(uuidString.lowercased(), type: .uuid) }
}

extension Date: PostgresEncodable {
    /// Sent as `timestamptz` in UTC with microsecond precision (the server's own resolution).
    public var postgresValue: PostgresValue { .text(PostgresTimestamp.format(self), type: .timestamptz) }
}

/// A JSON document bound as `jsonb` (or decoded from `json`/`jsonb`), kept as its text.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable {
    /// The JSON text.
    public var text: String

    /// Wraps JSON text; the server validates it when the statement runs.
    public init(_ text: String) { self.text = text }

    public var postgresValue: PostgresValue { .text(text, type: .jsonb) }
}
