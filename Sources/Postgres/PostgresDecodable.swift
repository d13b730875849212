/// One value of a result row, in PostgreSQL's text output format, with what is needed to decode it.
public struct PostgresCell: Sendable {
    /// The column's name (for array elements: `name[i]`), used in error messages.
    public var columnName: String
    /// The column's type as the server reported it.
    public var type: PostgresDataType
    /// The value's text bytes; nil for SQL NULL.
    public var bytes: ArraySlice<UInt8>?

    /// Creates a cell; decoders make cells for array elements this way.
    public init(columnName: String, type: PostgresDataType, bytes: ArraySlice<UInt8>?) {
        self.columnName = columnName
        self.type = type
        self.bytes = bytes
    }

    /// The value's bytes, or an error saying the column is NULL and `T` is not optional.
    public func requireValue<T>(_: T.Type) throws -> ArraySlice<UInt8> {
        guard let bytes else {
            throw PostgresError(
                .decoding,
                "column '\(columnName)' is NULL; decode it as Optional<\(T.self)> to accept NULL")
        }
        return bytes
    }

    /// A decoding error naming the column, its type and the Swift type asked for.
    public func mismatch<T>(_: T.Type, _ reason: String? = nil) -> PostgresError {
        var message = "column '\(columnName)' of type \(type) cannot be decoded as \(T.self)"
        if let reason { message += ": \(reason)" }
        return PostgresError(.decoding, message)
    }

    /// The value as a Swift string (the text format is UTF-8 on connections of this module).
    var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// A Swift type that a result column can be decoded into.
public protocol PostgresDecodable: Sendable {
    /// Decodes a cell; throws `PostgresError` of kind `.decoding` naming the column on failure.
    static func decode(from cell: PostgresCell) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Self {
        cell.bytes == nil ? nil : try Wrapped.decode(from: cell)
    }
}
