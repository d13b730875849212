import Glibc
import Synchronization

/// Set when the task waiting on a blocking operation is cancelled; the operation polls it.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var isCancelled: Bool { state.load(ordering: .relaxed) }

    func cancel() { state.store(true, ordering: .relaxed) }
}

/// Runs blocking work (`getaddrinfo`, `poll`) on a thread of its own, so that it never holds one
/// of the few threads of Swift's cooperative pool. HTTP transfers use `TransferThreads` instead,
/// whose threads outlive a request and keep its connections.
enum BlockingThread {
    /// Runs `body` on a new detached thread and returns its result; cancelling the calling task
    /// sets the flag handed to `body`.
    static func run<T: Sendable>(
        _ body: @escaping @Sendable (CancellationFlag) throws -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let started = startDetachedThread { continuation.resume(with: Result { try body(flag) }) }
                if !started {
                    continuation.resume(
                        throwing: OutboundError.other("could not start a thread for the connection"))
                }
            }
        } onCancel: {
            flag.cancel()
        }
    }
}

/// Starts a detached pthread running `body`; false if the system would not start one.
func startDetachedThread(_ body: @escaping () -> Void) -> Bool {
    /// The closure, retained across the C boundary until the thread has taken it.
    final class Box {
        let body: () -> Void

        init(_ body: @escaping () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    let status = pthread_create(
        &thread, &attributes,
        { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.body()
            return nil
        }, context)
    if status != 0 {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    return true
}
