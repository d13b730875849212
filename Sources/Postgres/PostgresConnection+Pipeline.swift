extension PostgresConnection {
    /// Runs `statements` in order, sent together in one round trip, and returns each one's rows.
    /// After the first that fails the server skips the rest, and that failure is thrown. Without
    /// BEGIN among them, each statement commits on its own.
    public func pipeline(_ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        try await run { session in try session.pipeline(statements) }
    }

    /// Runs `statements` as one transaction sent in one round trip: BEGIN, a transaction-local
    /// `set_config` for each of `settings`, the statements, COMMIT. Returns the statements' rows.
    /// When one fails, the transaction is rolled back and its error thrown. For fixed sequences of
    /// statements whose parameters are known up front; `transaction` is for everything else.
    public func pipelinedTransaction(
        readOnly: Bool = false, settings: [(name: String, value: String)] = [],
        _ statements: [PostgresStatement]
    ) async throws -> [PostgresRows] {
        let begin = PostgresStatement(readOnly ? "BEGIN READ ONLY" : "BEGIN")
        let setters = settings.map {
            PostgresStatement("SELECT set_config($1, $2, true)", [$0.name, $0.value])
        }
        let results = try await pipeline([begin] + setters + statements + [PostgresStatement("COMMIT")])
        guard results.last?.commandTag == "COMMIT" else {
            throw PostgresError(
                .server, "the transaction was rolled back because a statement inside it failed",
                sqlState: "25P02")
        }
        return Array(results.dropFirst(1 + setters.count).dropLast())
    }
}

extension PostgresPool {
    /// Borrows a connection and runs `statements` on it with `pipelinedTransaction`.
    public nonisolated func pipelinedTransaction(
        readOnly: Bool = false, settings: [(name: String, value: String)] = [],
        _ statements: [PostgresStatement]
    ) async throws -> [PostgresRows] {
        try await withConnection { connection in
            try await connection.pipelinedTransaction(readOnly: readOnly, settings: settings, statements)
        }
    }
}
