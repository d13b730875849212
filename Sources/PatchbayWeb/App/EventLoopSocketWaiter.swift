import HTTPServer
import Postgres

/// Lets pooled PostgreSQL connections wait for their answers on the event loop that runs the
/// request, instead of on a thread of their own (see `PostgresSocketWaiter`). Work off the loops
/// (queue workers, the command line) still goes through the connection's thread.
public struct EventLoopSocketWaiter: PostgresSocketWaiter {
    public init() {}

    public var isAvailable: Bool { EventLoopSockets.isOnEventLoop }

    public func waitUntilReadable(_ descriptor: Int32) async -> Bool {
        await EventLoopSockets.waitUntilReadable(descriptor)
    }
}
