/// Transaction isolation levels (PostgreSQL treats READ UNCOMMITTED as READ COMMITTED).
public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` inside BEGIN/COMMIT on this connection; rolls back and rethrows if it throws.
    ///
    /// If a statement failed inside `body` and `body` swallowed the error, the server has already
    /// aborted the transaction: COMMIT then rolls back, and this throws instead of pretending.
    ///
    /// `prelude` is SQL sent with BEGIN in the same round trip (simple-query protocol, so it takes no
    /// parameters: only text the caller built from trusted values, such as a transaction-local
    /// `set_config` of a UUID).
    public func transaction<T>(
        isolation: PostgresIsolationLevel? = nil, readOnly: Bool = false, prelude: String? = nil,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var begin = "BEGIN"
        if let isolation { begin += " ISOLATION LEVEL \(isolation.rawValue)" }
        if readOnly { begin += " READ ONLY" }
        if let prelude { begin += "; " + prelude }
        try await simpleQuery(begin)
        let result: T
        do {
            result = try await body(self)
        } catch {
            _ = try? await simpleQuery("ROLLBACK")
            throw error
        }
        let commit = try await simpleQuery("COMMIT")
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(
                .server, "the transaction was rolled back because a statement inside it failed",
                sqlState: "25P02")
        }
        return result
    }
}

extension PostgresPool {
    /// Borrows a connection and runs `body` in a transaction on it; every statement `body` runs
    /// through the connection it receives belongs to the transaction.
    public nonisolated func transaction<T>(
        isolation: PostgresIsolationLevel? = nil, readOnly: Bool = false, prelude: String? = nil,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.transaction(
                isolation: isolation, readOnly: readOnly, prelude: prelude, body)
        }
    }
}
