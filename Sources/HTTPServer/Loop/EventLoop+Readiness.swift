#if canImport(Glibc)
    import Glibc
#endif

/// Waiting for other sockets (a database connection, an outbound HTTP transfer) on the loop
/// itself: the waiting task resumes on this thread when one of its sockets is ready or its time is
/// up, with no thread of its own to wake.
extension EventLoop {
    /// Tokens of sockets waited on carry this bit; connections' tokens never do (their generation
    /// stays far below it).
    static let readinessBit: UInt64 = 1 << 62

    /// One task's wait: the descriptors it watches, until when, and how to resume it (nil once it
    /// has been resumed).
    final class SocketWait {
        var continuation: CheckedContinuation<EventLoopSockets.Readiness, Never>?
        let descriptors: [Int32]
        /// Loop milliseconds (`now`) at which the wait ends with `timedOut`; nil waits for a socket.
        let deadline: UInt64?

        init(
            _ continuation: CheckedContinuation<EventLoopSockets.Readiness, Never>, descriptors: [Int32],
            deadline: UInt64?
        ) {
            self.continuation = continuation
            self.descriptors = descriptors
            self.deadline = deadline
        }
    }

    /// Suspends the calling task (which runs on this loop) until one of `interests` is ready (or
    /// hung up, or in error), or `timeout` milliseconds have passed. One waiter per descriptor at
    /// a time.
    ///
    /// Each descriptor is armed for one event and stays registered after the wait: one that fires
    /// later finds no waiter and is ignored (one spurious wake-up at most), arming it again
    /// re-checks the socket, so nothing ready is missed, and closing a socket removes it.
    func wait(for interests: [EventLoopSockets.Interest], timeout: Int?) async -> EventLoopSockets.Readiness {
        precondition(!interests.isEmpty || timeout != nil, "a wait for no socket needs a time limit")
        // The clock read now, not `now`: jobs may have run for a while since the loop set it.
        let deadline = timeout.map { monotonicMilliseconds() + UInt64(max(0, $0)) }
        return await withCheckedContinuation { continuation in
            let wait = SocketWait(continuation, descriptors: interests.map(\.descriptor), deadline: deadline)
            for interest in interests {
                var mask = LinuxAPI.epollOneShot
                if interest.readable { mask |= LinuxAPI.epollIn }
                if interest.writable { mask |= LinuxAPI.epollOut }
                let token = Self.readinessBit | UInt64(UInt32(bitPattern: interest.descriptor))
                do {
                    try epoll.modify(interest.descriptor, events: mask, token: token)
                } catch {
                    do {
                        try epoll.add(interest.descriptor, events: mask, token: token)
                    } catch {
                        // Not a socket epoll can watch: the caller finds out what is wrong with it.
                        resume(
                            wait,
                            with: .ready(interest.descriptor, readable: false, writable: false, failed: true))
                        return
                    }
                }
                socketWaits[interest.descriptor] = wait
            }
            if wait.deadline != nil { timedWaits.append(wait) }
        }
    }

    /// Resumes the task waiting on the descriptor of `token`, if any.
    func resumeSocketWait(_ token: UInt64, events: UInt32) {
        let descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
        guard let wait = socketWaits[descriptor] else { return }
        resume(
            wait,
            with: .ready(
                descriptor, readable: events & LinuxAPI.epollIn != 0,
                writable: events & LinuxAPI.epollOut != 0,
                failed: events & (LinuxAPI.epollErr | LinuxAPI.epollHup) != 0))
    }

    /// Milliseconds until the earliest pending timed wait ends (0 when one is due), nil with none.
    var millisecondsToNextDeadline: UInt64? {
        let pending = timedWaits.lazy.filter { $0.continuation != nil }.compactMap(\.deadline)
        guard let earliest = pending.min() else { return nil }
        let current = monotonicMilliseconds()
        return earliest > current ? earliest - current : 0
    }

    /// Ends the waits whose time is up, and forgets those already resumed.
    func expireSocketWaits() {
        guard !timedWaits.isEmpty else { return }
        let due = timedWaits.filter { $0.continuation != nil && ($0.deadline ?? .max) <= now }
        for wait in due { resume(wait, with: .timedOut) }
        timedWaits.removeAll { $0.continuation == nil }
    }

    /// Resumes every wait (the loop is stopping); the tasks find out for themselves.
    func abandonSocketWaits() {
        // A wait on several sockets appears several times; `resume` acts once.
        for wait in Array(socketWaits.values) + timedWaits { resume(wait, with: .unavailable) }
        timedWaits.removeAll()
    }

    private func resume(_ wait: SocketWait, with readiness: EventLoopSockets.Readiness) {
        guard let continuation = wait.continuation else { return }
        wait.continuation = nil
        for descriptor in wait.descriptors where socketWaits[descriptor] === wait {
            socketWaits.removeValue(forKey: descriptor)
        }
        continuation.resume(returning: readiness)
    }

    /// The loop whose thread is calling, if any.
    static var current: EventLoop? {
        guard let pointer = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Marks the calling thread as this loop's (nil: as no loop's).
    static func setCurrent(_ loop: EventLoop?) {
        pthread_setspecific(currentKey, loop.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}

/// Lets code that runs in a server's handler tasks wait for sockets on the task's event loop.
public enum EventLoopSockets {
    /// A socket to wait for, and for what.
    public struct Interest: Sendable, Equatable {
        public var descriptor: Int32
        public var readable: Bool
        public var writable: Bool

        public init(descriptor: Int32, readable: Bool = true, writable: Bool = false) {
            self.descriptor = descriptor
            self.readable = readable
            self.writable = writable
        }
    }

    /// How a wait ended.
    public enum Readiness: Sendable, Equatable {
        /// The socket is ready: readable, writable, or in error or hung up (`failed`).
        case ready(Int32, readable: Bool, writable: Bool, failed: Bool)
        /// The time given ran out first.
        case timedOut
        /// There was no loop to wait on (the calling thread is none, or its loop stopped).
        case unavailable
    }

    /// Whether the calling thread is an event loop's, where the waits below can be used.
    public static var isOnEventLoop: Bool { EventLoop.current != nil }

    /// Suspends until `descriptor` is readable; the task resumes on the same loop. Returns false at
    /// once, without waiting, when the calling thread is not an event loop's.
    public static func waitUntilReadable(_ descriptor: Int32) async -> Bool {
        guard let loop = EventLoop.current else { return false }
        _ = await loop.wait(for: [Interest(descriptor: descriptor)], timeout: nil)
        return true
    }

    /// Suspends until one of `interests` is ready or `timeoutMilliseconds` (millisecond
    /// resolution; nil: no limit) have passed; the task resumes on the same loop. `unavailable`
    /// at once when the calling thread is not an event loop's.
    public static func wait(for interests: [Interest], timeoutMilliseconds: Int?) async -> Readiness {
        guard let loop = EventLoop.current else { return .unavailable }
        return await loop.wait(for: interests, timeout: timeoutMilliseconds)
    }
}
