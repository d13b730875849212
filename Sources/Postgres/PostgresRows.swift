/// A result column: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    public var name: String
    public var type: PostgresDataType
}

/// The rows a statement returned, copied out of libpq's result into one flat buffer.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: ResultStorage
    /// For INSERT/UPDATE/DELETE/MERGE and friends: the number of rows affected (0 otherwise).
    public let rowsAffected: Int
    /// The server's command tag, e.g. `INSERT 0 1`, `SELECT 3` or `COMMIT`.
    public let commandTag: String

    init(storage: ResultStorage, rowsAffected: Int, commandTag: String) {
        self.storage = storage
        self.rowsAffected = rowsAffected
        self.commandTag = commandTag
    }

    /// The result's columns in order.
    public var columns: [PostgresColumn] { storage.columns }
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(storage: storage, index: position) }
}

/// One result row; decode its values by column name or index.
public struct PostgresRow: Sendable {
    let storage: ResultStorage
    let index: Int

    /// The result's columns in order.
    public var columns: [PostgresColumn] { storage.columns }

    /// Decodes the first column called `name` as `T` (use an Optional `T` for nullable columns).
    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let column = storage.columnIndex[name] else {
            let known = storage.columns.map(\.name).joined(separator: ", ")
            throw PostgresError(.decoding, "no column named '\(name)' in the result (columns: \(known))")
        }
        return try T.decode(from: cell(column))
    }

    /// Decodes the column at `column` (0-based) as `T`.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard storage.columns.indices.contains(column) else {
            throw PostgresError(
                .decoding, "no column at index \(column); the result has \(storage.columns.count)")
        }
        return try T.decode(from: cell(column))
    }

    /// The raw cell at `column` (0-based); the index must be valid.
    public func cell(_ column: Int) -> PostgresCell {
        let slot = index * storage.columns.count + column
        let length = storage.lengths[slot]
        let start = storage.starts[slot]
        return PostgresCell(
            columnName: storage.columns[column].name, type: storage.columns[column].type,
            bytes: length < 0 ? nil : storage.bytes[start..<start + Int(length)])
    }
}

/// Immutable result data shared by the rows of one result.
final class ResultStorage: Sendable {
    let columns: [PostgresColumn]
    let columnIndex: [String: Int]
    let rowCount: Int
    /// Every value's bytes back to back.
    let bytes: [UInt8]
    /// Per cell (row-major): offset into `bytes`, and length or -1 for NULL.
    let starts: [Int]
    let lengths: [Int32]

    init(columns: [PostgresColumn], rowCount: Int, bytes: [UInt8], starts: [Int], lengths: [Int32]) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = position
        }
        self.columnIndex = index
        self.rowCount = rowCount
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
    }
}
