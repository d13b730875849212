import Foundation
import Logging
import Postgres
import Synchronization

/// Runs queued connector executions on this node, sharing the queue with every other node.
///
/// A worker claims pending executions (and queued ones whose node stopped: their lease ran out) with
/// `FOR UPDATE SKIP LOCKED`, at most `concurrency` at a time, and holds a lease on each that a
/// heartbeat renews while it runs. An execution whose lease runs out is claimed again once; one
/// whose second node stops too is failed ("the node running it stopped twice") instead of being run
/// a third time. Every write about a run is fenced by the claim: a node that lost its lease cannot
/// overwrite the result of the node that took over.
///
/// It wakes when `ExecutionStore.enqueue` notifies `ExecutionStore.channel`, and polls every
/// `pollInterval` as well (notifications sent while the listener reconnects are lost, and leases
/// expire without any notification).
public final class ExecutionWorker: Sendable {
    /// What the worker did since it started, for health pages and tests.
    public struct Statistics: Sendable, Hashable {
        /// Claims taken (retries included).
        public var claimed = 0
        /// Outcomes written.
        public var recorded = 0
        /// Runs whose outcome was refused because the claim was no longer held (the lease ran out
        /// and another node took the run over).
        public var rejected = 0
        /// Cancelled runs handed back for another node.
        public var released = 0
        /// Runs failed because their nodes stopped (twice, or once for a synchronous run).
        public var givenUp = 0
    }

    struct State {
        var inFlight: Set<ClaimKey> = []
        var isStarted = false
        var isStopping = false
        var loop: Task<Void, Never>?
        var listener: Task<Void, Never>?
        var heartbeat: Task<Void, Never>?
        var statistics = Statistics()
    }

    /// Names this node in `lease_owner`; must be unique among the nodes sharing the database.
    public let nodeID: String
    public let concurrency: Int
    public let leaseDuration: Duration
    public let pollInterval: Duration
    let database: Database
    let logger: Logger
    let run: @Sendable (ClaimedExecution) async -> ExecutionOutcome
    let state = Mutex(State())
    /// Signalled by notifications, finished runs and `stop`.
    let wake = WakeEvent()
    /// Set when the claiming loop and every run it started are over.
    let finished = WakeEvent(sticky: true)

    /// - Parameters:
    ///   - concurrency: the most runs in flight at once on this worker.
    ///   - leaseDuration: how long a claim holds without renewal; the heartbeat renews it every third
    ///     of that. A node that stops is noticed this long after its last renewal.
    ///   - pollInterval: how often to look for work (and for expired leases) without a notification.
    ///   - run: runs one claimed execution (decrypts the connector's auth, calls the executor) and
    ///     returns its outcome, which must hold no secret. An outcome failed with kind `cancelled`
    ///     hands the run back to the queue instead of recording it.
    public init(
        database: Database, nodeID: String, concurrency: Int = 4, leaseDuration: Duration = .seconds(30),
        pollInterval: Duration = .seconds(2), logger: Logger = Logger(label: "patchbay.executions"),
        run: @escaping @Sendable (ClaimedExecution) async -> ExecutionOutcome
    ) {
        self.database = database
        self.nodeID = nodeID
        self.concurrency = max(1, concurrency)
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.logger = logger
        self.run = run
    }

    /// Subscribes to the queue's notifications and starts claiming; returns once listening, so an
    /// execution queued afterwards wakes this worker. Calling it again does nothing; a worker that
    /// was stopped does not start again.
    public func start() async throws {
        let isFirst = state.withLock { state in
            defer { state.isStarted = true }
            return !state.isStarted && !state.isStopping
        }
        guard isFirst else { return }
        let notifications: AsyncStream<PostgresNotification>
        do {
            notifications = try await database.pool.listen(ExecutionStore.channel)
        } catch {
            state.withLock { $0.isStarted = false }  // So a later `start` can try again.
            throw error
        }
        // Under the lock, so a `stop` that came in while subscribing either sees the tasks or
        // keeps them from starting.
        state.withLock { state in
            guard !state.isStopping else { return }
            state.listener = Task { [wake] in
                for await _ in notifications { wake.signal() }
            }
            state.loop = Task { await claimLoop() }
            state.heartbeat = Task { await heartbeatLoop() }
        }
    }

    /// Stops claiming and lets the runs in flight finish, waiting at most `gracePeriod`; then
    /// cancels them (a cancelled run hands its execution back to the queue) and waits up to
    /// `gracePeriod` more. A run that still has not returned is abandoned: its lease is no longer
    /// renewed, so another node takes it over once it expires, and whatever it writes later is refused.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        let (loop, listener) = state.withLock { state in
            state.isStopping = true
            return (state.loop, state.listener)
        }
        listener?.cancel()
        wake.signal()
        if let loop, await !finished.wait(upTo: gracePeriod) {
            logger.warning(
                "runs still in flight after the grace period; cancelling them",
                metadata: ["node": "\(nodeID)"])
            loop.cancel()
            if await !finished.wait(upTo: gracePeriod) {
                logger.warning(
                    "runs ignored cancellation; abandoning them to lease expiry",
                    metadata: ["node": "\(nodeID)"])
            }
        }
        state.withLock { $0.heartbeat }?.cancel()
    }

    /// What the worker did so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Runs in flight now.
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    var leaseMilliseconds: Int { ExecutionStore.milliseconds(leaseDuration) }
}
