import Logging
import Synchronization

/// A database session: what `PostgresPool.withConnection` and `transaction` hand to their closure.
///
/// Every statement runs on the connection's own thread; calls from concurrent tasks are queued in
/// order. A connection is lent to one task at a time by the pool; do not keep it past the closure.
public final class PostgresConnection: PostgresQueryable {
    private let thread: ConnectionThread
    let session: LibPQConnection
    /// Lets `pipeline` wait on the calling task's event loop; nil: always on the connection's thread.
    let socketWaiter: (any PostgresSocketWaiter)?
    /// Set when the pool lends the connection; the lease's first job then checks the socket and
    /// reconnects if needed. Later jobs of the same lease never reconnect, so a session that broke
    /// mid-transaction fails loudly instead of silently continuing outside the transaction.
    let isFreshLease = Atomic<Bool>(false)
    /// Whether the last job left the session inside a transaction block.
    let isInTransactionBlock = Atomic<Bool>(false)

    init(
        configuration: PostgresConfiguration, logger: Logger, socketWaiter: (any PostgresSocketWaiter)? = nil
    ) throws {
        self.socketWaiter = socketWaiter
        thread = try ConnectionThread()
        session = LibPQConnection(configuration: configuration, logger: logger)
    }

    deinit {
        // The thread holds itself alive while it waits for jobs; tell it to finish.
        thread.stop()
    }

    public func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws -> PostgresRows {
        let values = parameters.map(\.postgresValue)
        return try await run { session in try session.query(sql, values) }
    }

    /// Runs `work` against the libpq session on the connection's thread.
    func run<T: Sendable>(_ work: @escaping @Sendable (LibPQConnection) throws -> T) async throws -> T {
        let isFirstOfLease = isFreshLease.exchange(false, ordering: .acquiringAndReleasing)
        return try await thread.run { [self] in
            defer { isInTransactionBlock.store(session.isInTransaction, ordering: .releasing) }
            // Without any session (the lease's connect failed) there is no transaction to protect.
            if isFirstOfLease || session.handle == nil { try session.prepareForUse() }
            return try work(session)
        }
    }

    /// Runs trusted SQL through the simple-query protocol (several statements, no parameters).
    @discardableResult
    func simpleQuery(_ sql: String) async throws -> PostgresRows {
        try await run { session in try session.simpleQuery(sql) }
    }

    /// Called by the pool before lending the connection out.
    func beginLease() {
        isFreshLease.store(true, ordering: .releasing)
    }

    /// Called by the pool when the connection comes back: a transaction left open by the borrower
    /// is rolled back so that its locks go and the next borrower starts clean.
    func endLease() async {
        guard isInTransactionBlock.load(ordering: .acquiring) else { return }
        _ = try? await run { session in try session.simpleQuery("ROLLBACK") }
    }

    /// Closes the session and stops the thread once queued jobs are done.
    func shutdown() async {
        _ = try? await thread.run { [session] in session.close() }
        thread.stop()
    }
}
