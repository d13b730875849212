import CLibPQ
import Glibc

/// The exchange behind `PostgresConnection.runUntrusted`, on the connection's thread.
///
/// Every step uses libpq's asynchronous calls and waits on the socket with `poll` until one shared
/// deadline, so a server that accepts the connection and then stays silent costs at most the
/// limits' timeout plus grace.
extension LibPQConnection {
    func runUntrusted(_ sql: String, _ parameters: [PostgresValue], limits: StatementLimits) throws
        -> LimitedRows
    {
        guard !sql.utf8.contains(0) else {
            throw PostgresError(.encoding, "the statement contains a NUL character")
        }
        let handle = try requireConnection()
        let deadline = ContinuousClock.now + limits.timeout + limits.grace
        _ = try exchange(handle, until: deadline) { PQsendQuery($0, "BEGIN READ ONLY") }
        let outcome = Result {
            try runInTransaction(sql, parameters, limits: limits, handle: handle, deadline: deadline)
        }
        // Read only, and rolled back whatever happened: a statement such as `COMMIT` cannot keep
        // anything either, since nothing before it wrote.
        if !isBroken { _ = try? exchange(handle, until: deadline) { PQsendQuery($0, "ROLLBACK") } }
        var result = try outcome.get()
        let types = Set(result.rows.columns.map(\.type.oid))
        if !types.isEmpty, !isBroken {
            result.typeNames = (try? typeNames(types, handle: handle, deadline: deadline)) ?? [:]
        }
        return result
    }

    private func runInTransaction(
        _ sql: String, _ parameters: [PostgresValue], limits: StatementLimits, handle: OpaquePointer,
        deadline: ContinuousClock.Instant
    ) throws -> LimitedRows {
        let milliseconds = max(
            1,
            limits.timeout.components.seconds * 1000 + limits.timeout.components.attoseconds
                / 1_000_000_000_000_000)
        try setLocal("statement_timeout", String(milliseconds), handle: handle, deadline: deadline)
        for setting in limits.settings {
            try setLocal(setting.name, setting.value, handle: handle, deadline: deadline)
        }
        // The unnamed statement: prepared, described (columns even without rows), then executed.
        _ = try exchange(handle, until: deadline) { PQsendPrepare($0, "", sql, 0, nil) }
        let description = try exchange(handle, until: deadline) { PQsendDescribePrepared($0, "") }
        let encoded = try EncodedParameters(parameters)
        let sent = encoded.withPointers { values, lengths, formats in
            PQsendQueryPrepared(handle, "", Int32(parameters.count), values, lengths, formats, 0)
        }
        guard sent == 1 else { throw PostgresError(sendFailureKind, "statement failed: \(libpqMessage())") }
        // Without single-row mode libpq would gather every row before returning any: never do that.
        guard PQsetSingleRowMode(handle) == 1 else {
            close()
            throw PostgresError(
                .connection, "libpq could not read the rows one at a time; the connection was closed")
        }
        return try readRows(handle, columns: description.columns, limits: limits, deadline: deadline)
    }

    /// Reads the single-row results until libpq has none left; past the limits, cancels the rest.
    private func readRows(
        _ handle: OpaquePointer, columns: [PostgresColumn], limits: StatementLimits,
        deadline: ContinuousClock.Instant
    ) throws -> LimitedRows {
        var collector = RowCollector(columnCount: columns.count)
        var isTruncated = false
        var failure: (any Error)?
        var commandTag = ""
        while let result = try nextResult(handle, until: deadline) {
            let status = PQresultStatus(result)
            if status == PGRES_SINGLE_TUPLE {
                defer { PQclear(result) }
                guard !isTruncated else { continue }
                if collector.rowCount < limits.maxRows,
                    collector.byteCount + collector.size(ofRowIn: result) <= limits.maxBytes
                {
                    collector.append(rowOf: result)
                } else {
                    isTruncated = true
                    cancelRunningStatement(handle)
                }
            } else if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY {
                commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
                PQclear(result)
            } else {
                // `consume` turns the result into the server's error (and frees it).
                do { _ = try consume(result) } catch { failure = failure ?? error }
            }
        }
        // After a cancel the server reports 57014 (or whatever it met first): the rows kept stand.
        if let failure, !isTruncated { throw failure }
        let rows = PostgresRows(
            storage: collector.storage(columns: columns), rowsAffected: 0, commandTag: commandTag)
        return LimitedRows(rows: rows, typeNames: [:], isTruncated: isTruncated)
    }

    private func setLocal(
        _ name: String, _ value: String, handle: OpaquePointer, deadline: ContinuousClock.Instant
    ) throws {
        let encoded = try EncodedParameters([.text(name, type: .text), .text(value, type: .text)])
        _ = try exchange(handle, until: deadline) { handle in
            encoded.withPointers { values, lengths, formats in
                PQsendQueryParams(
                    handle, "SELECT set_config($1, $2, true)", 2, nil, values, lengths, formats, 0)
            }
        }
    }

    /// `pg_type.typname` of `oids`, looked up after the transaction (a cancelled statement aborts it).
    private func typeNames(_ oids: Set<UInt32>, handle: OpaquePointer, deadline: ContinuousClock.Instant)
        throws -> [UInt32: String]
    {
        let list = "{" + oids.sorted().map(String.init).joined(separator: ",") + "}"
        let encoded = try EncodedParameters([.text(list, type: .text)])
        let rows = try exchange(handle, until: deadline) { handle in
            encoded.withPointers { values, lengths, formats in
                PQsendQueryParams(
                    handle,
                    "SELECT oid::int8, typname::text FROM pg_catalog.pg_type WHERE oid = ANY ($1::oid[])",
                    1, nil, values, lengths, formats, 0)
            }
        }
        var names: [UInt32: String] = [:]
        for row in rows {
            names[UInt32(truncatingIfNeeded: try row.decode(0, as: Int64.self))] = try row.decode(
                1, as: String.self)
        }
        return names
    }

    /// Sends one request and returns its last result as rows, or the first error it produced.
    private func exchange(
        _ handle: OpaquePointer, until deadline: ContinuousClock.Instant, _ send: (OpaquePointer) -> Int32
    ) throws -> PostgresRows {
        guard send(handle) == 1 else {
            throw PostgresError(sendFailureKind, "statement failed: \(libpqMessage())")
        }
        var outcome: Result<PostgresRows, any Error>?
        while let result = try nextResult(handle, until: deadline) {
            let current = Result { try consume(result) }
            if case .failure = outcome { continue }
            outcome = current
        }
        guard let outcome else { throw PostgresError(.server, "the server sent no result") }
        return try outcome.get()
    }

    /// The next result, waiting on the socket at most until `deadline`; nil when the request is done.
    /// Past the deadline the connection is closed: a server that does not answer is not waited for.
    private func nextResult(_ handle: OpaquePointer, until deadline: ContinuousClock.Instant) throws
        -> OpaquePointer?
    {
        while PQisBusy(handle) != 0 {
            let remaining = deadline - .now
            guard remaining > .zero else {
                close()
                throw PostgresError(
                    .timeout,
                    "PostgreSQL at \(configuration.redactedURL) did not answer in time; the connection was closed"
                )
            }
            let milliseconds =
                remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: max(1, milliseconds)))
            if ready < 0, errno != EINTR {
                throw PostgresError(.connection, "waiting for PostgreSQL failed (errno \(errno))")
            }
            if ready > 0, PQconsumeInput(handle) == 0 {
                throw PostgresError(
                    .timeout,
                    "the connection to PostgreSQL at \(configuration.redactedURL) failed: \(libpqMessage())")
            }
        }
        return PQgetResult(handle)
    }

    private var sendFailureKind: PostgresError.Kind { isBroken ? .connection : .server }

    /// Asks the server to stop the statement; its error then arrives as the last result.
    private func cancelRunningStatement(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(cancel) }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &message, Int32(message.count))
    }
}

/// Values of single-row results gathered into the flat layout of `ResultStorage`.
struct RowCollector {
    let columnCount: Int
    private(set) var rowCount = 0
    private var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []

    init(columnCount: Int) { self.columnCount = columnCount }

    var byteCount: Int { bytes.count }

    /// Bytes the row in `result` would add.
    func size(ofRowIn result: OpaquePointer) -> Int {
        (0..<Int32(min(columnCount, Int(PQnfields(result))))).reduce(0) { total, column in
            total + Int(max(0, PQgetlength(result, 0, column)))
        }
    }

    mutating func append(rowOf result: OpaquePointer) {
        let available = Int(PQnfields(result))
        for column in 0..<Int32(columnCount) {
            starts.append(bytes.count)
            guard Int(column) < available, PQgetisnull(result, 0, column) == 0 else {
                lengths.append(-1)
                continue
            }
            let length = PQgetlength(result, 0, column)
            lengths.append(length)
            if length > 0, let value = PQgetvalue(result, 0, column) {
                value.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                }
            }
        }
        rowCount += 1
    }

    func storage(columns: [PostgresColumn]) -> ResultStorage {
        ResultStorage(columns: columns, rowCount: rowCount, bytes: bytes, starts: starts, lengths: lengths)
    }
}
