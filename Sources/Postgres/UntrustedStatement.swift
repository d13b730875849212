/// How far a statement written by someone else may go (see `PostgresConnection.runUntrusted`).
public struct StatementLimits: Sendable {
    /// Rows kept; when one more arrives, reading stops and the statement is cancelled.
    public var maxRows: Int
    /// Bytes of values kept across all rows; a row that would pass it stops reading like `maxRows`.
    public var maxBytes: Int
    /// The server's `statement_timeout` for the statement. The client itself gives up `grace` later,
    /// in case the server never answers at all.
    public var timeout: Duration
    /// How much longer than `timeout` the client waits for the whole exchange before it closes the
    /// connection.
    public var grace: Duration
    /// Transaction-local settings applied before the statement (`search_path`, ...).
    public var settings: [(name: String, value: String)]

    public init(
        maxRows: Int, maxBytes: Int = 16 << 20, timeout: Duration, grace: Duration = .seconds(2),
        settings: [(name: String, value: String)] = []
    ) {
        self.maxRows = max(0, maxRows)
        self.maxBytes = max(0, maxBytes)
        self.timeout = timeout
        self.grace = grace
        self.settings = settings
    }
}

/// What a statement run with `StatementLimits` returned.
public struct LimitedRows: Sendable {
    /// The rows kept. Its columns come from the statement's description, so a statement that
    /// returned no row still names and types them.
    public var rows: PostgresRows
    /// `pg_type.typname` of each column type (`int4`, `timestamptz`, an enum's name); a type the
    /// server did not name is missing.
    public var typeNames: [UInt32: String]
    /// True when the statement had more rows (or bytes) than the limits let through.
    public var isTruncated: Bool
}

extension PostgresConnection {
    /// Runs one statement written by someone else, with `$1...$n` bound to `parameters` (their types
    /// inferred by the server).
    ///
    /// The statement runs inside `BEGIN READ ONLY` with `statement_timeout` set to `limits.timeout`,
    /// and the transaction is always rolled back. The extended protocol takes exactly one statement,
    /// so nothing can be appended to it. Rows are read one at a time and reading stops at the limits
    /// (the rest is cancelled), so a huge result never reaches memory. Every step waits at most until
    /// the limits' deadline: a server that stops answering gets its connection closed, never a thread
    /// blocked forever.
    public func runUntrusted(
        _ sql: String, _ parameters: [any PostgresEncodable], limits: StatementLimits
    ) async throws -> LimitedRows {
        let values = parameters.map(\.postgresValue)
        return try await run { session in try session.runUntrusted(sql, values, limits: limits) }
    }
}
