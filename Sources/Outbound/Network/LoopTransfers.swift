import Synchronization

/// Transfers driven on event loops (`OutboundHTTPClient.send` called from a loop that `waiter` can
/// wait on): the waiter, and the libcurl sessions kept between transfers.
///
/// A transfer takes the session put back most recently (its connections are the likeliest to be
/// warm) and puts it back when done, so there are as many sessions as transfers ever ran at once.
/// Sessions left unused for `idleTimeout` are closed, with their connections, whenever a transfer
/// takes or puts back one; at most `maximumIdle` are kept.
public final class LoopTransfers: Sendable {
    /// A session waiting for its next transfer, touched by no one until taken out under the lock.
    private struct Parked: @unchecked Sendable {
        let session: CurlSession
        let since: ContinuousClock.Instant
    }

    public let waiter: any OutboundSocketWaiter
    public let idleTimeout: Duration
    public let maximumIdle: Int
    /// The most recently parked last.
    private let parked = Mutex<[Parked]>([])

    public init(waiter: any OutboundSocketWaiter, idleTimeout: Duration = .seconds(60), maximumIdle: Int = 64)
    {
        self.waiter = waiter
        self.idleTimeout = idleTimeout
        self.maximumIdle = max(1, maximumIdle)
    }

    /// Sessions waiting for a transfer.
    public var idleSessions: Int { parked.withLock { $0.count } }

    /// The session parked last, else a new one.
    func takeSession() -> CurlSession {
        let (session, stale) = parked.withLock { stack -> (CurlSession?, [Parked]) in
            let stale = Self.removeStale(from: &stack, idleTimeout: idleTimeout, keep: maximumIdle)
            return (stack.popLast()?.session, stale)
        }
        closeAll(stale)
        return session ?? CurlSession()
    }

    /// Parks `session` for the next transfer.
    func putBack(_ session: CurlSession) {
        let stale = parked.withLock { stack in
            stack.append(Parked(session: session, since: .now))
            return Self.removeStale(from: &stack, idleTimeout: idleTimeout, keep: maximumIdle)
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

    /// Closes sessions outside the lock: closing their connections is a few system calls each.
    private func closeAll(_ sessions: [Parked]) {
        for parked in sessions { parked.session.discard() }
    }
}
