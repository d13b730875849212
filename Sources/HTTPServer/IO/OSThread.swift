#if canImport(Glibc)
    import Glibc
#endif

/// Starts detached OS threads for the event loops and the signal waiter, which must never run
/// on Swift's cooperative pool because they block in `epoll_wait` or `read`.
enum OSThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func spawn(_ body: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
                box.body()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw HTTPServerError(.systemCall("pthread_create"), errno: result)
        }
        pthread_detach(thread)
    }

    /// An identifier for the calling thread, cheap enough to compare on every enqueue.
    static var current: UInt { UInt(pthread_self()) }
}
