import JSON
import Postgres

/// What a query returned, as the API sends it:
/// `{"columns": [{"name", "type"}], "rows": [[...]], "row_count", "truncated", "duration_ms"}`.
public struct QueryResult: Sendable {
    public struct Column: Sendable, Equatable {
        public var name: String
        /// The server's name for the type (`int4`, `text`, `timestamptz`, an enum's name).
        public var type: String
    }

    public var columns: [Column]
    /// One array per row, values typed from the column types (see `QueryValues`).
    public var rows: [[JSON]]
    /// True when the statement had more rows than the cap (or more bytes than the byte cap).
    public var truncated: Bool
    /// From connecting to the last row (the destination check before it excluded).
    public var durationMilliseconds: Int

    public var rowCount: Int { rows.count }

    public var json: JSON {
        [
            "columns": .array(columns.map { ["name": .string($0.name), "type": .string($0.type)] }),
            "rows": .array(rows.map(JSON.array)), "row_count": .int(Int64(rowCount)),
            "truncated": .bool(truncated), "duration_ms": .int(Int64(durationMilliseconds)),
        ]
    }

    init(_ limited: LimitedRows, durationMilliseconds: Int) {
        let rows = limited.rows
        columns = rows.columns.map { column in
            Column(name: column.name, type: limited.typeNames[column.type.oid] ?? column.type.description)
        }
        var values: [[JSON]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            values.append(rows.columns.indices.map { QueryValues.json(row.cell($0)) })
        }
        self.rows = values
        truncated = limited.isTruncated
        self.durationMilliseconds = durationMilliseconds
    }
}

/// Values of the text protocol as JSON: integers, floating-point numbers, booleans and json/jsonb
/// keep their type; everything else (numeric, dates, uuids, arrays, enums...) stays the server's
/// text, which is exact where a JSON number would round.
enum QueryValues {
    static func json(_ cell: PostgresCell) -> JSON {
        guard let bytes = cell.bytes else { return .null }
        let text = String(decoding: bytes, as: UTF8.self)
        switch cell.type {
        case .int2, .int4, .int8, .oidType:
            return Int64(text).map(JSON.int) ?? .string(text)
        case .float4, .float8:
            // NaN and ±Infinity have no JSON number: they stay text.
            guard let value = Double(text), value.isFinite else { return .string(text) }
            return .double(value)
        case .bool:
            return .bool(text == "t")
        case .json, .jsonb:
            return (try? JSON(parsing: Array(bytes), maxDepth: 64)) ?? .string(text)
        default:
            return .string(text)
        }
    }
}
