/// Limits of queries run on a tenant's behalf. Production reads them from the environment
/// (`PATCHBAY_QUERY_TIMEOUT_MS`, `PATCHBAY_QUERY_MAX_ROWS`); a request may only lower them.
public struct QuerySettings: Sendable {
    /// The statement timeout when the request names none; also the most a request may ask for.
    public var timeout: Duration
    /// Rows returned at most (`truncated: true` beyond); also the most a request may ask for.
    public var maxRows: Int
    /// Bytes of values returned at most, whatever the row count: a few huge rows cannot exhaust memory.
    public var maxBytes: Int
    /// How long connecting (DNS, TCP, TLS, login) may take.
    public var connectTimeout: Duration
    public var maxParameters: Int
    /// Characters of SQL text accepted.
    public var maxSQLLength: Int

    public init(
        timeout: Duration = .seconds(5), maxRows: Int = 1000, maxBytes: Int = 8 << 20,
        connectTimeout: Duration = .seconds(10), maxParameters: Int = 1000, maxSQLLength: Int = 100_000
    ) {
        self.timeout = timeout
        self.maxRows = maxRows
        self.maxBytes = maxBytes
        self.connectTimeout = connectTimeout
        self.maxParameters = maxParameters
        self.maxSQLLength = maxSQLLength
    }

    public static let standard = QuerySettings()

    /// `standard` with `PATCHBAY_QUERY_TIMEOUT_MS` and `PATCHBAY_QUERY_MAX_ROWS` applied; a value that
    /// does not parse, or is out of range, is an error rather than silently ignored.
    public static func from(environment: [String: String]) throws -> QuerySettings {
        var settings = QuerySettings.standard
        if let text = environment["PATCHBAY_QUERY_TIMEOUT_MS"], !text.isEmpty {
            guard let milliseconds = Int(text), (1...3_600_000).contains(milliseconds) else {
                throw AppError(
                    .badRequest,
                    "PATCHBAY_QUERY_TIMEOUT_MS must be a number of milliseconds from 1 to 3600000.")
            }
            settings.timeout = .milliseconds(milliseconds)
        }
        if let text = environment["PATCHBAY_QUERY_MAX_ROWS"], !text.isEmpty {
            guard let rows = Int(text), (1...1_000_000).contains(rows) else {
                throw AppError(.badRequest, "PATCHBAY_QUERY_MAX_ROWS must be a number from 1 to 1000000.")
            }
            settings.maxRows = rows
        }
        return settings
    }
}
