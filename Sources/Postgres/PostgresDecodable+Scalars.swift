#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension String: PostgresDecodable {
    /// Any column but `bytea` decodes as its text form (`numeric`, enums, `inet`, `jsonb`, ...).
    public static func decode(from cell: PostgresCell) throws -> String {
        let bytes = try cell.requireValue(String.self)
        guard cell.type != .bytea else { throw cell.mismatch(String.self, "decode bytea as [UInt8]") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Integer columns decode into any fixed-width integer the value fits in.
extension PostgresDecodable where Self: FixedWidthInteger {
    public static func decode(from cell: PostgresCell) throws -> Self {
        let bytes = try cell.requireValue(Self.self)
        guard [.int2, .int4, .int8, .oidType].contains(cell.type) else { throw cell.mismatch(Self.self) }
        guard let value = parseInteger(bytes) else {
            throw cell.mismatch(Self.self, "malformed integer")
        }
        guard let exact = Self(exactly: value) else {
            throw cell.mismatch(Self.self, "\(value) is out of range")
        }
        return exact
    }
}

extension Int: PostgresDecodable {}
extension Int64: PostgresDecodable {}
extension Int32: PostgresDecodable {}
extension Int16: PostgresDecodable {}

/// Parses an optionally signed decimal integer without allocating.
func parseInteger(_ bytes: ArraySlice<UInt8>) -> Int64? {
    var rest = bytes
    let negative = rest.first == UInt8(ascii: "-")
    if negative || rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
    guard !rest.isEmpty else { return nil }
    var value: Int64 = 0
    for byte in rest {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        let digit = Int64(byte - UInt8(ascii: "0"))
        let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (next, overflow2) =
            negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
        guard !overflow1, !overflow2 else { return nil }
        value = next
    }
    return value
}

extension Double: PostgresDecodable {
    /// Accepts `float4`, `float8`, `numeric` and the integer types.
    public static func decode(from cell: PostgresCell) throws -> Double {
        let bytes = try cell.requireValue(Double.self)
        guard [.float4, .float8, .numeric, .int2, .int4, .int8].contains(cell.type) else {
            throw cell.mismatch(Double.self)
        }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else {
            throw cell.mismatch(Double.self, "malformed number")
        }
        return value
    }
}

extension Float: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Float {
        Float(try Double.decode(from: cell))
    }
}

extension Bool: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Bool {
        let bytes = try cell.requireValue(Bool.self)
        guard cell.type == .bool else { throw cell.mismatch(Bool.self) }
        switch bytes.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw cell.mismatch(Bool.self, "malformed boolean")
        }
    }
}

extension UUID: PostgresDecodable {
    /// Accepts `uuid` and textual columns holding a UUID.
    public static func decode(from cell: PostgresCell) throws -> UUID {
        let bytes = try cell.requireValue(UUID.self)
        guard cell.type == .uuid || cell.type.isTextual else { throw cell.mismatch(UUID.self) }
        guard let uuid = UUID(uuidString: String(decoding: bytes, as: UTF8.self)) else {
            throw cell.mismatch(UUID.self, "malformed UUID")
        }
        return uuid
    }
}

extension Date: PostgresDecodable {
    /// Accepts `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC); `infinity`
    /// maps to `distantFuture` and `-infinity` to `distantPast`.
    public static func decode(from cell: PostgresCell) throws -> Date {
        let bytes = try cell.requireValue(Date.self)
        guard [.timestamptz, .timestamp, .date].contains(cell.type) else { throw cell.mismatch(Date.self) }
        guard let date = PostgresTimestamp.parse(bytes) else {
            throw cell.mismatch(Date.self, "unexpected format '\(String(decoding: bytes, as: UTF8.self))'")
        }
        return date
    }
}

extension PostgresJSON: PostgresDecodable {
    /// Accepts `json`, `jsonb` and textual columns.
    public static func decode(from cell: PostgresCell) throws -> PostgresJSON {
        let bytes = try cell.requireValue(PostgresJSON.self)
        guard cell.type == .json || cell.type == .jsonb || cell.type.isTextual else {
            throw cell.mismatch(PostgresJSON.self)
        }
        return PostgresJSON(String(decoding: bytes, as: UTF8.self))
    }
}
