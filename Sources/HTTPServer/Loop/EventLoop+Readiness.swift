#if canImport(Glibc)
    import Glibc
#endif

/// Waiting for other sockets (a database connection, say) on the loop itself: the waiting task
/// resumes on this thread when the socket is readable, with no thread of its own to wake.
extension EventLoop {
    /// Tokens of sockets waited on carry this bit; connections' tokens never do (their generation
    /// stays far below it).
    static let readinessBit: UInt64 = 1 << 62

    /// Suspends the calling task (which runs on this loop) until `descriptor` is readable, hung up or
    /// in error. One waiter per descriptor at a time.
    func waitUntilReadable(_ descriptor: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let token = Self.readinessBit | UInt64(UInt32(bitPattern: descriptor))
            let mask = LinuxAPI.epollIn | LinuxAPI.epollOneShot
            // Left registered (disarmed) after each wait; closing the socket removes it.
            do {
                try epoll.modify(descriptor, events: mask, token: token)
            } catch {
                do {
                    try epoll.add(descriptor, events: mask, token: token)
                } catch {
                    continuation.resume()  // The caller reads and finds out what is wrong.
                    return
                }
            }
            readinessWaiters[descriptor] = continuation
        }
    }

    /// Resumes the task waiting on the descriptor of `token`, if any.
    func resumeReadinessWaiter(_ token: UInt64) {
        let descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
        readinessWaiters.removeValue(forKey: descriptor)?.resume()
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

/// Lets code that runs in a server's handler tasks wait for a socket on the task's event loop.
public enum EventLoopSockets {
    /// Whether the calling thread is an event loop's, where `waitUntilReadable` can be used.
    public static var isOnEventLoop: Bool { EventLoop.current != nil }

    /// Suspends until `descriptor` is readable; the task resumes on the same loop. Returns false at
    /// once, without waiting, when the calling thread is not an event loop's.
    public static func waitUntilReadable(_ descriptor: Int32) async -> Bool {
        guard let loop = EventLoop.current else { return false }
        await loop.waitUntilReadable(descriptor)
        return true
    }
}
