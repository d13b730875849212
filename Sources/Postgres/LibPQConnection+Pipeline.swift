import CLibPQ
import Glibc

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
    /// round trip to the server (libpq's pipeline mode), and waits for the answers on this thread.
    /// The server runs them in order; after the first that fails it skips the rest, and that
    /// failure is thrown.
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
        try send(statements, names: names, encoded: encoded, on: handle)
        var answers = PipelineAnswers(count: statements.count)
        while try !take(PQgetResult(handle), into: &answers) {}
        return try leavePipeline(answers, on: handle)
    }

    /// Enters pipeline mode and sends the statements (prepared as `names`) and a Sync.
    func send(
        _ statements: [PostgresStatement], names: [String], encoded: [EncodedParameters],
        on handle: OpaquePointer
    ) throws {
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
    }

    /// Files one result of the pipeline (nil: the end of a statement's results) into `answers`;
    /// true once the Sync's has come. A failure is kept, not thrown, so that every answer is read
    /// and the session stays usable.
    func take(_ result: OpaquePointer?, into answers: inout PipelineAnswers) throws -> Bool {
        switch answers.next {
        case .statement:
            guard let result else { throw abandon("the server's answers ended early: \(libpqMessage())") }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                do {
                    answers.rows.append(try consume(result))
                } catch let error as PostgresError {
                    answers.failure = answers.failure ?? error
                }
            }
            answers.next = .endOfStatement
        case .endOfStatement:
            if let result {
                PQclear(result)
            } else {
                answers.answered += 1
                answers.next = answers.answered < answers.count ? .statement : .sync
            }
        case .sync:
            guard let result else {
                throw abandon("the server did not confirm the pipeline: \(libpqMessage())")
            }
            let status = PQresultStatus(result)
            PQclear(result)
            guard status == PGRES_PIPELINE_SYNC else {
                throw abandon("the pipeline ended unexpectedly: \(libpqMessage())")
            }
            return true
        }
        return false
    }

    /// Leaves pipeline mode once every answer is in; returns the rows or throws the first failure.
    func leavePipeline(_ answers: PipelineAnswers, on handle: OpaquePointer) throws -> [PostgresRows] {
        guard PQexitPipelineMode(handle) == 1 else {
            throw abandon("could not leave pipeline mode: \(libpqMessage())")
        }
        if let failure = answers.failure { throw failure }
        return answers.rows
    }

    /// Drops a session whose pipeline state is unknown (the next lease reconnects) and returns the
    /// error to throw.
    func abandon(_ message: String) -> PostgresError {
        close()
        return PostgresError(.connection, message)
    }
}

/// What a pipeline has answered so far.
struct PipelineAnswers {
    enum Next { case statement, endOfStatement, sync }

    let count: Int
    var answered = 0
    var next: Next
    var rows: [PostgresRows] = []
    var failure: PostgresError?

    init(count: Int) {
        self.count = count
        next = count > 0 ? .statement : .sync
    }
}
