/// The one error type of the `Postgres` module.
///
/// Server errors carry the fields PostgreSQL reports (SQLSTATE, detail, constraint, ...), so callers
/// can map them: `isUniqueViolation` to 409, `isConnectionError` to 503, and so on.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The connection URL or a configuration value is invalid.
        case invalidConfiguration
        /// The server could not be reached, or the connection broke.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case server
        /// Every pooled connection stayed busy for longer than the pool's wait timeout.
        case poolTimeout
        /// The server did not answer before the caller's deadline (`runUntrusted`); the connection was
        /// closed.
        case timeout
        /// The pool (or listener) was closed.
        case closed
        /// A parameter value cannot be sent (text containing a NUL character).
        case encoding
        /// A column value could not be decoded into the requested Swift type.
        case decoding
        /// A migration file is missing, malformed, edited after it was applied, or failed.
        case migration
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// A human-readable description; never contains a password.
    public var message: String
    /// The five-character SQLSTATE code, for server errors.
    public var sqlState: String?
    /// The server's detail line, if any.
    public var detail: String?
    /// The server's hint, if any.
    public var hint: String?
    /// The violated constraint, for integrity errors.
    public var constraint: String?
    /// The table the error concerns, if the server named one.
    public var table: String?
    /// The column the error concerns, if the server named one.
    public var column: String?

    /// Creates an error; mostly used inside the module.
    public init(
        _ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        return text
    }
}

extension PostgresError {
    /// `23505`: a unique constraint or index rejected the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// `23503`: a foreign key rejected the row.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// `23502`: a NOT NULL column got a NULL.
    public var isNotNullViolation: Bool { sqlState == "23502" }
    /// `23514`: a CHECK constraint rejected the row.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// `40001` or `40P01`: the transaction lost a serialization race or a deadlock and may be retried.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// `57014`: the statement was cancelled (statement_timeout or an explicit cancel).
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// True when the database is unreachable or the connection broke: worth a 503 and a retry later.
    ///
    /// Covers failures to connect, broken sockets, SQLSTATE class 08 (connection exception) and the
    /// 57P01–57P03 codes a server sends while shutting down or starting up.
    public var isConnectionError: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }
}
