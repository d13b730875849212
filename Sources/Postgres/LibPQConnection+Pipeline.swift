import CLibPQ

/// A statement with its parameters, for `PostgresConnection.pipeline`.
public struct PostgresStatement: Sendable {
    public var sql: String
    public var parameters: [PostgresValue]

    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        self.parameters = parameters.map(\.postgresValue)
    }

    var key: StatementKey { StatementKey(sql: sql, types: parameters.map(\.dataType.oid)) }
}

extension LibPQConnection {
    /// Sends all `statements` and one Sync before reading any answer, so the batch costs a single
    /// round trip to the server (libpq's pipeline mode). The server runs them in order; after the
    /// first that fails it skips the rest, and that failure is thrown.
    ///
    /// Statements are prepared once per connection like `query`'s; preparing one the first time
    /// costs a round trip of its own, outside the pipeline.
    func pipeline(_ statements: [PostgresStatement]) throws -> [PostgresRows] {
        let handle = try requireConnection()
        let startedIdle = PQtransactionStatus(handle) == PQTRANS_IDLE
        do {
            return try sendAndRead(statements, on: handle)
        } catch let error as PostgresError where error.sqlState == "26000" && startedIdle {
            // A statement vanished (a DISCARD ALL or DEALLOCATE by someone): prepare afresh once.
            if PQtransactionStatus(handle) != PQTRANS_IDLE { try simpleQuery("ROLLBACK") }
            forgetPreparedStatements()
            return try sendAndRead(statements, on: handle)
        }
    }

    private func sendAndRead(_ statements: [PostgresStatement], on handle: OpaquePointer) throws
        -> [PostgresRows]
    {
        // Everything that can fail before sending does so here, while the session is still clean.
        let encoded = try statements.map { try EncodedParameters($0.parameters) }
        let names = try preparedNames(for: statements.map(\.key), on: handle)
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(.connection, "could not enter pipeline mode: \(libpqMessage())")
        }
        for ((statement, name), parameters) in zip(zip(statements, names), encoded) {
            let sent = parameters.withPointers { values, lengths, formats in
                PQsendQueryPrepared(
                    handle, name, Int32(statement.parameters.count), values, lengths, formats, 0)
            }
            guard sent == 1 else { throw abandon("could not send a statement: \(libpqMessage())") }
        }
        guard PQpipelineSync(handle) == 1 else {
            throw abandon("could not send the pipeline: \(libpqMessage())")
        }
        let rows = try readResults(count: statements.count, on: handle)
        guard PQexitPipelineMode(handle) == 1 else {
            throw abandon("could not leave pipeline mode: \(libpqMessage())")
        }
        return try rows.get()
    }

    /// Reads one result per statement, then the Sync's. The first failure is returned (not thrown)
    /// so that every answer is read and the connection stays usable.
    private func readResults(count: Int, on handle: OpaquePointer) throws -> Result<
        [PostgresRows], PostgresError
    > {
        var rows: [PostgresRows] = []
        var failure: PostgresError?
        for _ in 0..<count {
            guard let result = PQgetResult(handle) else {
                throw abandon("the server's answers ended early: \(libpqMessage())")
            }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                do {
                    rows.append(try consume(result))
                } catch let error as PostgresError {
                    failure = failure ?? error
                }
            }
            // Each statement's results end with a null.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        guard let sync = PQgetResult(handle) else {
            throw abandon("the server did not confirm the pipeline: \(libpqMessage())")
        }
        let status = PQresultStatus(sync)
        PQclear(sync)
        guard status == PGRES_PIPELINE_SYNC else {
            throw abandon("the pipeline ended unexpectedly: \(libpqMessage())")
        }
        if let failure { return .failure(failure) }
        return .success(rows)
    }

    /// Drops a session whose pipeline state is unknown (the next lease reconnects) and returns the
    /// error to throw.
    private func abandon(_ message: String) -> PostgresError {
        close()
        return PostgresError(.connection, message)
    }
}
