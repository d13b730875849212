import Logging

/// A fixed-size pool of PostgreSQL connections, opened lazily on first need.
///
/// When every connection is busy, callers wait in FIFO order up to `acquireTimeout`, then get a
/// `PostgresError` of kind `.poolTimeout`. A connection whose server went away reconnects at the
/// start of its next lease, so the pool recovers on its own after a database restart.
public actor PostgresPool: PostgresQueryable {
    /// Where the connections go.
    public nonisolated let configuration: PostgresConfiguration
    /// The most connections the pool opens.
    public nonisolated let size: Int
    /// How long a caller waits for a busy pool before giving up.
    public nonisolated let acquireTimeout: Duration
    nonisolated let logger: Logger
    /// Where pipelines may wait for their answers without the connection's thread (see
    /// `PostgresSocketWaiter`).
    public nonisolated let socketWaiter: (any PostgresSocketWaiter)?

    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var deadlineWatcher: Task<Void, Never>?
    private var isClosed = false
    var isClosedForListening: Bool { isClosed }
    var listener: NotificationListener?

    private struct Waiter {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<PostgresConnection, any Error>
    }

    /// Creates a pool; no connection is opened until the first statement.
    public init(
        configuration: PostgresConfiguration, size: Int = 10, acquireTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "postgres"), socketWaiter: (any PostgresSocketWaiter)? = nil
    ) {
        self.configuration = configuration
        self.size = max(1, size)
        self.acquireTimeout = acquireTimeout
        self.logger = logger
        self.socketWaiter = socketWaiter
    }

    /// Creates a pool from a `postgresql://` URL; throws `.invalidConfiguration` for a bad URL.
    public init(
        url: String, size: Int = 10, acquireTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "postgres"), socketWaiter: (any PostgresSocketWaiter)? = nil
    ) throws {
        self.init(
            configuration: try PostgresConfiguration(url: url), size: size, acquireTimeout: acquireTimeout,
            logger: logger, socketWaiter: socketWaiter)
    }

    deinit {
        listener?.stop()
    }

    /// Borrows a connection for the duration of `body`, then returns it to the pool.
    public nonisolated func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws
        -> T
    {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await connection.endLease()
            await release(connection)
            return result
        } catch {
            await connection.endLease()
            await release(connection)
            throw error
        }
    }

    public nonisolated func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws
        -> PostgresRows
    {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// A snapshot of the pool's occupancy, for health pages and metrics.
    public struct Statistics: Sendable, Hashable {
        /// Connections opened (idle plus lent out); at most `size`.
        public var open: Int
        /// Connections waiting in the pool.
        public var idle: Int
        /// Callers waiting for a connection.
        public var waiting: Int
    }

    /// The pool's current occupancy.
    public var statistics: Statistics {
        Statistics(open: openCount, idle: idle.count, waiting: waiters.count)
    }

    /// Closes idle connections now and busy ones when they come back; later calls fail with `.closed`.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.closed, "the connection pool was closed"))
        }
        waiters.removeAll()
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        listener?.stop()
        listener = nil
        for connection in closing { await connection.shutdown() }
    }

    func acquire() async throws -> PostgresConnection {
        guard !isClosed else { throw PostgresError(.closed, "the connection pool was closed") }
        if let connection = idle.popLast() {
            connection.beginLease()
            return connection
        }
        if openCount < size {
            let connection = try PostgresConnection(
                configuration: configuration, logger: logger, socketWaiter: socketWaiter)
            openCount += 1
            connection.beginLease()
            return connection
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let deadline = ContinuousClock.now + acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                if deadlineWatcher == nil {
                    deadlineWatcher = Task { await self.expireWaiters() }
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    func release(_ connection: PostgresConnection) async {
        if isClosed {
            openCount -= 1
            await connection.shutdown()
        } else if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            connection.beginLease()
            waiter.continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Fails waiters whose deadline passed; runs while anyone waits. Waiters share one timeout, so
    /// the queue is ordered by deadline and the head is always the next to expire.
    private func expireWaiters() async {
        while let head = waiters.first {
            if head.deadline > .now {
                try? await Task.sleep(until: head.deadline, clock: .continuous)
                continue
            }
            waiters.removeFirst()
            head.continuation.resume(throwing: timeoutError())
        }
        deadlineWatcher = nil
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func timeoutError() -> PostgresError {
        let waited = acquireTimeout.components
        let milliseconds = waited.seconds * 1000 + waited.attoseconds / 1_000_000_000_000_000
        return PostgresError(
            .poolTimeout,
            "timed out after \(milliseconds) ms waiting for a database connection: "
                + "all \(size) connections of the pool are busy")
    }
}
