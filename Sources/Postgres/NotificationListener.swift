import CLibPQ
import Glibc
import Logging
import Synchronization

/// A message sent with `NOTIFY channel, 'payload'` or `pg_notify(channel, payload)`.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel it was sent on.
    public var channel: String
    /// The payload text (empty when none was given).
    public var payload: String
    /// Process ID of the server backend that sent it.
    public var processID: Int32
}

/// Owns one dedicated connection that LISTENs on every channel someone subscribed to.
///
/// A thread of its own waits on the socket with poll(2), with an eventfd to be woken for new or
/// dropped subscriptions. When the connection breaks, it reconnects with backoff and LISTENs again;
/// notifications sent while it was disconnected are lost (PostgreSQL does not queue them).
final class NotificationListener: Sendable {
    typealias Subscriber = AsyncStream<PostgresNotification>.Continuation

    struct State {
        var subscribers: [String: [Int: Subscriber]] = [:]
        /// `subscribe` calls waiting for their LISTEN to be in effect.
        var confirmations: [(channel: String, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID = 0
        var isStopping = false
        /// Set, under the lock, when the thread closed the wake pipe: a later `wake()` must not write
        /// to a descriptor number the process may already have reused.
        var isPipeClosed = false
    }

    let state = Mutex(State())
    /// A non-blocking pipe: a byte written to `wakeDescriptors.write` interrupts the thread's poll.
    let wakeDescriptors: (read: Int32, write: Int32)
    let configuration: PostgresConfiguration
    let logger: Logger

    init(configuration: PostgresConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw PostgresError(.connection, "could not create a pipe (errno \(errno))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptors = (descriptors[0], descriptors[1])
        try startThread { [self] in runLoop() }
    }

    /// Registers a subscriber and returns once the server has confirmed the LISTEN.
    func subscribe(_ channel: String) async throws -> AsyncStream<PostgresNotification> {
        guard !channel.isEmpty, !channel.utf8.contains(0) else {
            throw PostgresError(.invalidConfiguration, "invalid notification channel name '\(channel)'")
        }
        let (stream, subscriber) = AsyncStream.makeStream(of: PostgresNotification.self)
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[channel, default: [:]][state.nextID] = subscriber
            return state.nextID
        }
        subscriber.onTermination = { [weak self] _ in self?.unsubscribe(channel, id: id) }
        do {
            try await withCheckedThrowingContinuation {
                (confirmation: CheckedContinuation<Void, any Error>) in
                let isStopping = state.withLock { state in
                    if !state.isStopping { state.confirmations.append((channel, confirmation)) }
                    return state.isStopping
                }
                if isStopping {
                    confirmation.resume(
                        throwing: PostgresError(.closed, "the notification listener was closed"))
                } else {
                    wake()
                }
            }
        } catch {
            subscriber.finish()
            throw error
        }
        return stream
    }

    /// Stops the thread; every stream finishes.
    func stop() {
        state.withLock { $0.isStopping = true }
        wake()
    }

    private func unsubscribe(_ channel: String, id: Int) {
        state.withLock { state in
            state.subscribers[channel]?[id] = nil
            if state.subscribers[channel]?.isEmpty == true { state.subscribers[channel] = nil }
        }
        wake()
    }

    func wake() {
        state.withLock { state in
            guard !state.isPipeClosed else { return }
            var byte: UInt8 = 1
            _ = write(wakeDescriptors.write, &byte, 1)
        }
    }
}
