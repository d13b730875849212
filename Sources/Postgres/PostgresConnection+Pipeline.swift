import CLibPQ

extension PostgresConnection {
    /// Runs `statements` in order, sent together in one round trip, and returns each one's rows.
    /// After the first that fails the server skips the rest, and that failure is thrown. Without
    /// BEGIN among them they form one implicit transaction, committed at the end and rolled back
    /// after a failure.
    public func pipeline(_ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        if let waiter = socketWaiter, waiter.isAvailable,
            let rows = try await pipelineOnCallingThread(statements, waiter: waiter)
        {
            return rows
        }
        return try await run { session in try session.pipeline(statements) }
    }

    /// The pipeline sent from the calling thread and read there as the answers arrive, waiting for
    /// the socket through `waiter`; nil when it has to go through the connection's thread after all
    /// (see `LibPQConnection.startPipelineWithoutBlocking`). The lease makes the session this
    /// task's alone, and every earlier job on the connection's thread has finished.
    private func pipelineOnCallingThread(_ statements: [PostgresStatement], waiter: any PostgresSocketWaiter)
        async throws -> [PostgresRows]?
    {
        let wasIdle = !session.isInTransaction
        let isFirstOfLease = isFreshLease.load(ordering: .acquiring)
        guard let handle = try session.startPipelineWithoutBlocking(statements, checkSocket: isFirstOfLease)
        else { return nil }
        isFreshLease.store(false, ordering: .releasing)
        defer { isInTransactionBlock.store(session.isInTransaction, ordering: .releasing) }
        var answers = PipelineAnswers(count: statements.count)
        do {
            while true {
                while try !session.readAvailable(handle) {
                    if await !waiter.waitUntilReadable(session.socketDescriptor(handle)) {
                        session.waitUntilReadable(handle)
                    }
                }
                if try session.take(PQgetResult(handle), into: &answers) { break }
            }
            return try session.leavePipeline(answers, on: handle)
        } catch let error as PostgresError where error.sqlState == "26000" && wasIdle {
            return try await run { session in try session.pipelineAfterVanishedStatement(statements) }
        }
    }

    /// Runs `statements` as one transaction sent in one round trip: BEGIN, one statement setting
    /// each of `settings` for the transaction (`set_config`), the statements, COMMIT. Returns the
    /// statements' rows.
    /// When one fails, the transaction is rolled back and its error thrown. For fixed sequences of
    /// statements whose parameters are known up front; `transaction` is for everything else.
    public func pipelinedTransaction(
        readOnly: Bool = false, settings: [(name: String, value: String)] = [],
        _ statements: [PostgresStatement]
    ) async throws -> [PostgresRows] {
        var setters: [PostgresStatement] = []
        if !settings.isEmpty {
            let calls = settings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }
            setters.append(
                PostgresStatement(
                    "SELECT " + calls.joined(separator: ", "), settings.flatMap { [$0.name, $0.value] }))
        }
        let begin = PostgresStatement(readOnly ? "BEGIN READ ONLY" : "BEGIN")
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
