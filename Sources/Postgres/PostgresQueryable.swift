/// Something that runs SQL: the pool (one pooled connection per call) or a leased connection.
public protocol PostgresQueryable: Sendable {
    /// Runs one statement with `$1...$n` bound to `parameters` and returns its rows.
    ///
    /// Values travel separately from the SQL text, so they can never change the statement.
    /// Each distinct SQL text is prepared once per connection and reused.
    func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws -> PostgresRows
}

extension PostgresQueryable {
    /// Runs a statement without parameters.
    public func query(_ sql: String) async throws -> PostgresRows {
        try await query(sql, [])
    }

    /// Runs a statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        try await query(sql, parameters).rowsAffected
    }

    /// Runs a statement and returns its first row, or nil when it returned none.
    public func queryFirst(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws
        -> PostgresRow?
    {
        try await query(sql, parameters).first
    }
}
