import CLibPQ
import Glibc
import Logging

/// One libpq connection (`PGconn`) with its prepared-statement cache.
///
/// Every method blocks on the network, so an instance is confined to the dedicated thread of its
/// `PostgresConnection`: after being created (unconnected) it is only touched from jobs that
/// thread runs, one at a time. That confinement, not a lock, makes the `@unchecked Sendable` sound.
final class LibPQConnection: @unchecked Sendable {
    let configuration: PostgresConfiguration
    let logger: Logger
    private(set) var handle: OpaquePointer?
    /// SQL text plus declared parameter types → name of the server-side prepared statement.
    private var statements: [StatementKey: String] = [:]
    private var statementCounter = 0
    /// Past this many prepared statements the cache is dropped (`DEALLOCATE ALL`) and rebuilt.
    static let statementCacheLimit = 512

    init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit { close() }

    /// True when there is no usable connection.
    var isBroken: Bool { handle == nil || PQstatus(handle) != CONNECTION_OK }

    /// True when the session is inside a transaction block (or its state is unknown).
    var isInTransaction: Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        return PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    func connect() throws {
        close()
        let pairs = configuration.libpqParameters
        let connection = withCStringArray(pairs.map(\.0)) { keywords in
            withCStringArray(pairs.map(\.1)) { values in PQconnectdbParams(keywords, values, 0) }
        }
        guard let connection else {
            throw PostgresError(.connection, "could not allocate a libpq connection")
        }
        handle = connection
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = libpqMessage()
            close()
            throw PostgresError(
                .connection, "could not connect to PostgreSQL at \(configuration.redactedURL): \(reason)")
        }
        // Notices ("relation already exists, skipping", ...) are informational: keep them off stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Row decoding reads dates in the ISO style; switch only when the server default differs.
        let dateStyle = PQparameterStatus(connection, "DateStyle").map { String(cString: $0) } ?? ""
        if !dateStyle.hasPrefix("ISO") {
            _ = try simpleQuery("SET DateStyle TO ISO")
        }
    }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
    }

    /// Makes the connection usable at the start of a lease: connects lazily, and reconnects when the
    /// server has closed the socket while it sat idle (a restart, an idle timeout, a terminated backend).
    func prepareForUse() throws {
        if let handle, PQstatus(handle) == CONNECTION_OK, !socketShowsClosure(handle) { return }
        if handle != nil {
            logger.info("reconnecting to PostgreSQL", metadata: ["url": "\(configuration.redactedURL)"])
        }
        try connect()
    }

    /// Reads whatever an idle connection has received; the server only speaks unprompted to say
    /// goodbye (or to deliver notifications), and an EOF marks the connection bad.
    func socketShowsClosure(_ handle: OpaquePointer) -> Bool {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        for _ in 0..<4 {
            guard poll(&descriptor, 1, 0) > 0 else { return false }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK { return true }
        }
        return PQstatus(handle) != CONNECTION_OK
    }

    /// The last libpq error, trimmed and without any password.
    func libpqMessage() -> String {
        guard let handle, let raw = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: raw).split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
        return configuration.redact(text.isEmpty ? "connection lost" : text)
    }

    func requireConnection() throws -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(
                .connection,
                "the connection to PostgreSQL at \(configuration.redactedURL) was lost: \(libpqMessage())")
        }
        return handle
    }
}

/// Key of the prepared-statement cache: the same SQL with other parameter types is another statement.
struct StatementKey: Hashable {
    var sql: String
    var types: [UInt32]
}

extension LibPQConnection {
    /// Runs a parameterised statement, preparing it on first use and reusing it afterwards.
    func query(_ sql: String, _ parameters: [PostgresValue]) throws -> PostgresRows {
        let handle = try requireConnection()
        let key = StatementKey(sql: sql, types: parameters.map(\.dataType.oid))
        var name = try preparedName(for: key, on: handle)
        var result = try execute(prepared: name, parameters, on: handle)
        if resultSQLState(result) == "26000" && PQtransactionStatus(handle) == PQTRANS_IDLE {
            // The statement vanished (a DISCARD ALL or DEALLOCATE by someone): prepare it again once.
            PQclear(result)
            statements.removeAll()
            name = try preparedName(for: key, on: handle)
            result = try execute(prepared: name, parameters, on: handle)
        }
        return try consume(result)
    }

    /// Runs SQL through the simple-query protocol: no parameters, several statements allowed.
    /// Only for trusted text (transaction control, migration files), never for user input.
    @discardableResult
    func simpleQuery(_ sql: String) throws -> PostgresRows {
        let handle = try requireConnection()
        return try consume(PQexec(handle, sql))
    }

    /// The prepared names of `keys`, preparing those not prepared yet. The cache is cleared first
    /// when they might not all fit, so that no name handed out here is deallocated by the next.
    func preparedNames(for keys: [StatementKey], on handle: OpaquePointer) throws -> [String] {
        if statements.count + keys.count >= Self.statementCacheLimit {
            try simpleQuery("DEALLOCATE ALL")
            statements.removeAll()
        }
        return try keys.map { try preparedName(for: $0, on: handle) }
    }

    /// The prepared names of `keys` when every one is prepared already, else nil.
    func existingPreparedNames(for keys: [StatementKey]) -> [String]? {
        var names: [String] = []
        names.reserveCapacity(keys.count)
        for key in keys {
            guard let name = statements[key] else { return nil }
            names.append(name)
        }
        return names
    }

    /// Forgets every prepared statement (the server no longer has them).
    func forgetPreparedStatements() {
        statements.removeAll()
    }

    private func preparedName(for key: StatementKey, on handle: OpaquePointer) throws -> String {
        if let name = statements[key] { return name }
        if statements.count >= Self.statementCacheLimit {
            try simpleQuery("DEALLOCATE ALL")
            statements.removeAll()
        }
        statementCounter += 1
        let name = "s\(statementCounter)"
        let result = key.types.withUnsafeBufferPointer { types in
            PQprepare(handle, name, key.sql, Int32(key.types.count), types.baseAddress)
        }
        _ = try consume(result)
        statements[key] = name
        return name
    }

    private func execute(
        prepared name: String, _ parameters: [PostgresValue], on handle: OpaquePointer
    ) throws -> OpaquePointer? {
        let encoded = try EncodedParameters(parameters)
        return encoded.withPointers { values, lengths, formats in
            PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, 0)
        }
    }
}

/// Builds a NULL-terminated array of C strings for libpq and frees it afterwards.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
