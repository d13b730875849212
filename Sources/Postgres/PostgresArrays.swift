#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An element type of Swift arrays that bind to and decode from PostgreSQL values.
///
/// `[UInt8]` is `bytea`; arrays of the `PostgresArrayLiteralElement` types (`[String]`, `[Int]`,
/// `[UUID]`, `[String?]`, ...) are PostgreSQL arrays such as `text[]`. One protocol serves both
/// because Swift allows a single conditional conformance of `Array` to each protocol.
public protocol PostgresArrayElement: Sendable {
    /// The parameter for an array of this element type.
    static func encodeArray(_ elements: [Self]) -> PostgresValue
    /// Decodes an array of this element type from a cell.
    static func decodeArray(from cell: PostgresCell) throws -> [Self]
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresValue: PostgresValue { Element.encodeArray(self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(from cell: PostgresCell) throws -> [Element] {
        try Element.decodeArray(from: cell)
    }
}

/// An element of one-dimensional PostgreSQL arrays, sent and read in the array text format.
public protocol PostgresArrayLiteralElement: PostgresArrayElement, PostgresEncodable, PostgresDecodable {
    /// The array type to declare for parameters, e.g. `.textArray` for `String`.
    static var arrayDataType: PostgresDataType { get }
}

extension PostgresArrayLiteralElement {
    public static func encodeArray(_ elements: [Self]) -> PostgresValue {
        .text(ArrayLiteral.format(elements.map(\.postgresValue)), type: arrayDataType)
    }

    public static func decodeArray(from cell: PostgresCell) throws -> [Self] {
        let bytes = try cell.requireValue([Self].self)
        let elementType: PostgresDataType
        if let known = cell.type.arrayElementType {
            elementType = known
        } else if cell.type.description.hasPrefix("oid ") {
            elementType = .unknown  // An array of a type this module has no name for (enum[], ...).
        } else {
            throw cell.mismatch([Self].self, "not an array")
        }
        let elements: [[UInt8]?]
        do {
            elements = try ArrayLiteral.parse(bytes)
        } catch {
            throw cell.mismatch([Self].self, error.text)
        }
        return try elements.enumerated().map { index, element in
            let elementCell = PostgresCell(
                columnName: "\(cell.columnName)[\(index + 1)]", type: elementType, bytes: element?[...])
            return try Self.decode(from: elementCell)
        }
    }
}

extension Optional: PostgresArrayElement, PostgresArrayLiteralElement
where Wrapped: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { Wrapped.arrayDataType }
}

extension String: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .textArray }
}
extension Int: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .int8Array }
}
extension Int64: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .int8Array }
}
extension Int32: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .int4Array }
}
extension Int16: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .int2Array }
}
extension Double: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .float8Array }
}
extension Float: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .float4Array }
}
extension Bool: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .boolArray }
}
extension UUID: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .uuidArray }
}
extension Date: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .timestamptzArray }
}
extension PostgresJSON: PostgresArrayLiteralElement {
    public static var arrayDataType: PostgresDataType { .jsonbArray }
}
