import Glibc
import Synchronization

@testable import Outbound

/// Stands in for a server's event loop in tests of transfers driven by a waiter: each wait polls
/// the sockets on a thread of its own. Counts its waits, so a test can tell which path a transfer
/// took; `available` set to false makes the client use its transfer threads instead.
final class PollingSocketWaiter: OutboundSocketWaiter {
    private let waitCount = Atomic<Int>(0)
    private let availability = Atomic<Bool>(true)
    private let giveUp = Atomic<Bool>(false)

    var waits: Int { waitCount.load(ordering: .relaxed) }

    var available: Bool {
        get { availability.load(ordering: .relaxed) }
        set { availability.store(newValue, ordering: .relaxed) }
    }

    /// Makes every later wait end as `unavailable`, as a stopping loop's do.
    func stop() { giveUp.store(true, ordering: .relaxed) }

    var isAvailable: Bool { available }

    func wait(for sockets: [WatchedSocket], timeoutMilliseconds: Int) async -> SocketWaitResult {
        waitCount.add(1, ordering: .relaxed)
        if giveUp.load(ordering: .relaxed) { return .unavailable }
        return await withCheckedContinuation { continuation in
            let started = startDetachedThread {
                continuation.resume(returning: Self.poll(sockets, timeoutMilliseconds))
            }
            if !started { continuation.resume(returning: .unavailable) }
        }
    }

    private static func poll(_ sockets: [WatchedSocket], _ timeout: Int) -> SocketWaitResult {
        var entries = sockets.map { socket in
            var events: Int16 = 0
            if socket.readable { events |= Int16(POLLIN) }
            if socket.writable { events |= Int16(POLLOUT) }
            return pollfd(fd: socket.descriptor, events: events, revents: 0)
        }
        guard Glibc.poll(&entries, nfds_t(entries.count), Int32(timeout)) > 0,
            let ready = entries.first(where: { $0.revents != 0 })
        else { return .timedOut }
        return .ready(
            descriptor: ready.fd, readable: ready.revents & Int16(POLLIN) != 0,
            writable: ready.revents & Int16(POLLOUT) != 0,
            failed: ready.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0)
    }
}
