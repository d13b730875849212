import Synchronization

/// Transfers driven on event loops (`OutboundHTTPClient.send` called from a loop that `waiter` can
/// wait on): the waiter, and the libcurl sessions kept between transfers.
///
/// A transfer takes the session put back most recently (its connections are the likeliest to be
/// warm) and puts it back when done, so there are as many sessions as transfers ever ran at once.
/// Sessions left unused for `idleTimeout` are closed, with their connections, whenever a transfer
/// takes or puts back one; at most `maximumIdle` are kept, and at most `maximumActive` are in use.
public final class LoopTransfers: Sendable {
    /// A session waiting for its next transfer, touched by no one until taken out under the lock.
    private struct Parked: @unchecked Sendable {
        let session: CurlSession
        let since: ContinuousClock.Instant
    }

    private struct State {
        /// The most recently parked last.
        var parked: [Parked] = []
        /// Sessions taken and not put back yet.
        var active = 0
    }

    public let waiter: any OutboundSocketWaiter
    public let idleTimeout: Duration
    public let maximumIdle: Int
    /// The most transfers driven on loops at once; beyond it `takeSession` answers nil and the
    /// client uses its transfer threads (which have a limit and a queue of their own).
    public let maximumActive: Int
    private let state = Mutex(State())

    public init(
        waiter: any OutboundSocketWaiter, idleTimeout: Duration = .seconds(60), maximumIdle: Int = 64,
        maximumActive: Int = 256
    ) {
        self.waiter = waiter
        self.idleTimeout = idleTimeout
        self.maximumIdle = max(1, maximumIdle)
        self.maximumActive = max(1, maximumActive)
    }

    /// Sessions waiting for a transfer.
    public var idleSessions: Int { state.withLock { $0.parked.count } }

    /// The session parked last, else a new one; nil when `maximumActive` sessions are in use.
    func takeSession() -> CurlSession? {
        let (allowed, parked, stale) = state.withLock { state -> (Bool, CurlSession?, [Parked]) in
            let stale = Self.removeStale(from: &state.parked, idleTimeout: idleTimeout, keep: maximumIdle)
            guard state.active < maximumActive else { return (false, nil, stale) }
            state.active += 1
            return (true, state.parked.popLast()?.session, stale)
        }
        closeAll(stale)
        guard allowed else { return nil }
        return parked ?? CurlSession()
    }

    /// Parks `session`, taken with `takeSession`, for the next transfer.
    func putBack(_ session: CurlSession) {
        let stale = state.withLock { state in
            state.active -= 1
            state.parked.append(Parked(session: session, since: .now))
            return Self.removeStale(from: &state.parked, idleTimeout: idleTimeout, keep: maximumIdle)
        }
        closeAll(stale)
    }

    /// Takes out the sessions idle for longer than `idleTimeout`, and the oldest beyond `keep`.
    private static func removeStale(from stack: inout [Parked], idleTimeout: Duration, keep: Int) -> [Parked]
    {
        let oldest = ContinuousClock.now - idleTimeout
        let staleCount = max(stack.count - keep, stack.prefix { $0.since < oldest }.count)
        guard staleCount > 0 else { return [] }
        let stale = Array(stack.prefix(staleCount))
        stack.removeFirst(staleCount)
        return stale
    }

    /// Closes sessions on a thread of their own: closing their connections (TLS shutdowns
    /// included) is no work for the event loop that happened to notice them.
    private func closeAll(_ sessions: [Parked]) {
        guard !sessions.isEmpty else { return }
        let close = { for parked in sessions { parked.session.discard() } }
        if !startDetachedThread(close) { close() }
    }
}
