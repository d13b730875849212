import HTTPServer
import Outbound
import Postgres

/// Lets work done for a request wait for its sockets on the event loop that runs the request,
/// instead of on a thread of its own: pooled PostgreSQL connections waiting for their answers (see
/// `PostgresSocketWaiter`) and outbound HTTP transfers (see `OutboundSocketWaiter`). Work off the
/// loops (queue workers, the command line) still goes through the connection's or transfer's
/// thread.
public struct EventLoopSocketWaiter: PostgresSocketWaiter, OutboundSocketWaiter {
    public init() {}

    public var isAvailable: Bool { EventLoopSockets.isOnEventLoop }

    public func waitUntilReadable(_ descriptor: Int32) async -> Bool {
        await EventLoopSockets.waitUntilReadable(descriptor)
    }

    public func wait(for sockets: [WatchedSocket], timeoutMilliseconds: Int) async -> SocketWaitResult {
        let interests = sockets.map {
            EventLoopSockets.Interest(descriptor: $0.descriptor, readable: $0.readable, writable: $0.writable)
        }
        switch await EventLoopSockets.wait(for: interests, timeoutMilliseconds: timeoutMilliseconds) {
        case .ready(let descriptor, let readable, let writable, let failed):
            return .ready(descriptor: descriptor, readable: readable, writable: writable, failed: failed)
        case .timedOut: return .timedOut
        case .unavailable: return .unavailable
        }
    }
}
