import CLibPQ
import Glibc

/// The parts of a pipeline that `PostgresConnection` runs on the calling thread when it can wait for
/// the socket there (`PostgresSocketWaiter`): none of them blocks on the server.
extension LibPQConnection {
    /// Sends `statements` as `pipeline` does and returns the session's handle to read the answers
    /// with `readAvailable` and `take`; nil, having sent nothing, when something that would block
    /// must come first (connecting, or preparing a statement): use `pipeline` then.
    func startPipelineWithoutBlocking(_ statements: [PostgresStatement], checkSocket: Bool) throws
        -> OpaquePointer?
    {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return nil }
        if checkSocket, socketShowsClosure(handle) { return nil }
        let encoded = try statements.map { try EncodedParameters($0.parameters) }
        guard let names = existingPreparedNames(for: statements.map(\.key)) else { return nil }
        try send(statements, names: names, encoded: encoded, on: handle)
        return handle
    }

    /// Reads whatever has arrived; true when the next result can be taken without waiting.
    func readAvailable(_ handle: OpaquePointer) throws -> Bool {
        if PQisBusy(handle) == 0 { return true }
        guard PQconsumeInput(handle) == 1 else {
            throw abandon("the connection to PostgreSQL failed: \(libpqMessage())")
        }
        return PQisBusy(handle) == 0
    }

    /// The session's socket, to wait on.
    func socketDescriptor(_ handle: OpaquePointer) -> Int32 { PQsocket(handle) }

    /// Blocks until the socket is readable (where no loop can wait for it).
    func waitUntilReadable(_ handle: OpaquePointer) {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, -1)
    }

    /// `pipeline` again after a prepared statement vanished mid-pipeline: the failed transaction is
    /// rolled back and every statement prepared afresh.
    func pipelineAfterVanishedStatement(_ statements: [PostgresStatement]) throws -> [PostgresRows] {
        if isInTransaction { try simpleQuery("ROLLBACK") }
        forgetPreparedStatements()
        return try pipeline(statements)
    }
}
