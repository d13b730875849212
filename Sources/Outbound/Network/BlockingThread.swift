import Glibc
import Synchronization

/// Set when the task waiting on a blocking operation is cancelled; the operation polls it.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var isCancelled: Bool { state.load(ordering: .relaxed) }

    func cancel() { state.store(true, ordering: .relaxed) }
}

/// Runs blocking work (libcurl, `getaddrinfo`, `poll`) on a thread of its own, so that it never
/// holds one of the few threads of Swift's cooperative pool.
enum BlockingThread {
    /// Runs `body` on a new detached thread and returns its result; cancelling the calling task
    /// sets the flag handed to `body`.
    static func run<T: Sendable>(
        _ body: @escaping @Sendable (CancellationFlag) throws -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let job = Job { continuation.resume(with: Result { try body(flag) }) }
                if !job.start() {
                    continuation.resume(
                        throwing: OutboundError.other("could not start a thread for the connection"))
                }
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// The closure handed to the new thread; retained across the C boundary until it has run.
    private final class Job {
        let work: () -> Void

        init(_ work: @escaping () -> Void) { self.work = work }

        func start() -> Bool {
            var thread = pthread_t()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            let context = Unmanaged.passRetained(self).toOpaque()
            let status = pthread_create(
                &thread, &attributes,
                { context in
                    let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                    job.work()
                    return nil
                }, context)
            if status != 0 {
                Unmanaged<Job>.fromOpaque(context).release()
                return false
            }
            return true
        }
    }
}
