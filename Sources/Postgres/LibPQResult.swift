import CLibPQ

/// Error fields of `PQresultErrorField` (the `PG_DIAG_*` codes of libpq-fe.h / postgres_ext.h).
private enum DiagnosticField: Int32 {
    case severity = 86  // 'V', the non-localized severity
    case sqlState = 67  // 'C'
    case message = 77  // 'M'
    case detail = 68  // 'D'
    case hint = 72  // 'H'
    case table = 116  // 't'
    case column = 99  // 'c'
    case constraint = 110  // 'n'
}

extension LibPQConnection {
    /// Turns a libpq result into rows (or an error) and frees it.
    func consume(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let result else {
            throw PostgresError(
                isBroken ? .connection : .server, "statement failed: \(libpqMessage())")
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY {
            return copyRows(result)
        }
        throw makeError(result)
    }

    func resultSQLState(_ result: OpaquePointer?) -> String? {
        guard let result else { return nil }
        return field(result, .sqlState)
    }

    private func field(_ result: OpaquePointer, _ code: DiagnosticField) -> String? {
        PQresultErrorField(result, code.rawValue).map { String(cString: $0) }
    }

    private func makeError(_ result: OpaquePointer) -> PostgresError {
        let sqlState = field(result, .sqlState)
        // A lost connection shows as an error without SQLSTATE, or as 57P01 when the server said
        // goodbye first; either way the connection status is what decides.
        let kind: PostgresError.Kind = isBroken || sqlState == nil ? .connection : .server
        var message = field(result, .message).map { configuration.redact($0) } ?? libpqMessage()
        if kind == .connection {
            message = "the connection to PostgreSQL at \(configuration.redactedURL) failed: \(message)"
        }
        return PostgresError(
            kind, message, sqlState: sqlState,
            detail: field(result, .detail).map { configuration.redact($0) },
            hint: field(result, .hint), constraint: field(result, .constraint),
            table: field(result, .table), column: field(result, .column))
    }

    private func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?"
            columns.append(
                PostgresColumn(name: name, type: PostgresDataType(oid: PQftype(result, Int32(column)))))
        }
        var starts: [Int] = []
        var lengths: [Int32] = []
        var bytes: [UInt8] = []
        let cellCount = rowCount * columnCount
        starts.reserveCapacity(cellCount)
        lengths.reserveCapacity(cellCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                starts.append(bytes.count)
                if PQgetisnull(result, row, column) != 0 {
                    lengths.append(-1)
                    continue
                }
                let length = PQgetlength(result, row, column)
                lengths.append(length)
                if length > 0, let value = PQgetvalue(result, row, column) {
                    value.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                    }
                }
            }
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        let storage = ResultStorage(
            columns: columns, rowCount: rowCount, bytes: bytes, starts: starts, lengths: lengths)
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        return PostgresRows(storage: storage, rowsAffected: affected, commandTag: tag)
    }
}

/// Parameter values laid out for `PQexecPrepared`: one buffer, pointers into it, lengths, formats.
struct EncodedParameters {
    private var buffer: [UInt8] = [0]  // Never empty, so pointers into it always exist.
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ parameters: [PostgresValue]) throws {
        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .null:
                offsets.append(-1)
                lengths.append(0)
                formats.append(0)
            case .text(let text, _):
                // Text parameters travel as C strings: an embedded NUL would silently cut the value.
                guard !text.utf8.contains(0) else {
                    throw PostgresError(
                        .encoding,
                        "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold")
                }
                offsets.append(buffer.count)
                buffer.append(contentsOf: text.utf8)
                buffer.append(0)
                lengths.append(Int32(text.utf8.count))
                formats.append(0)
            case .binary(let bytes, _):
                offsets.append(buffer.count)
                buffer.append(contentsOf: bytes)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
    }

    func withPointers<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : base + $0 }
            return values.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
