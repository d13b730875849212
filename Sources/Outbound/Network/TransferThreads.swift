import Glibc

/// Long-lived threads for blocking HTTP transfers, each keeping one libcurl handle (a
/// `CurlSession`) from one request to the next, so that connections are reused and no request
/// pays for a new thread.
///
/// A job goes to the idle thread that finished most recently (idle threads wait in a LIFO stack):
/// its handle is the likeliest to hold a warm connection, and the threads at the bottom of the
/// stack are left to reach `idleTimeout`, exit and close their connections. With no idle thread a
/// new one starts, up to `maximumThreads`; beyond that jobs wait in FIFO order.
///
/// One pthread mutex guards the pool; each thread waits on a condition variable of its own, so a
/// job wakes exactly the thread it was handed to. That locking is what makes the
/// `@unchecked Sendable` sound.
public final class TransferThreads: @unchecked Sendable {
    /// What the pool holds at one moment.
    public struct Statistics: Sendable, Equatable {
        /// Threads alive, busy or idle.
        public var threads: Int
        /// Threads waiting for a job.
        public var idle: Int
        /// Jobs waiting for a thread (only when all `maximumThreads` are busy).
        public var queued: Int
        /// The most threads alive at once since the pool was made.
        public var peakThreads: Int
    }

    /// The pool every client uses unless it is given another.
    public static let shared = TransferThreads()

    /// The most threads alive at once.
    public let maximumThreads: Int
    /// How long a thread waits for a job before it exits.
    public let idleTimeout: Duration

    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Idle threads, the most recently idle last.
    var idle: [Worker] = []
    var queue: [Job] = []
    var threadCount = 0
    private var peakThreads = 0

    public init(maximumThreads: Int = 256, idleTimeout: Duration = .seconds(60)) {
        precondition(maximumThreads > 0, "a pool needs at least one thread")
        self.maximumThreads = maximumThreads
        self.idleTimeout = idleTimeout
        pthread_mutex_init(mutex, nil)
    }

    /// Never runs while a thread is alive: each one holds the pool until it exits.
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public var statistics: Statistics {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return Statistics(
            threads: threadCount, idle: idle.count, queued: queue.count, peakThreads: peakThreads)
    }

    /// Runs `body` on one of the pool's threads with that thread's session, and returns its result.
    ///
    /// Cancelling the calling task sets the flag handed to `body`; a job still waiting for a
    /// thread is taken out of the queue and fails with `OutboundError.cancelled` at once.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (CurlSession, CancellationFlag) throws -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, Error>) in
                submit(
                    Job(
                        cancellation: flag,
                        run: { session in
                            let result = Result { try body(session, flag) }
                            return { continuation.resume(with: result) }
                        },
                        abandon: { continuation.resume(throwing: $0) }))
            }
        } onCancel: {
            flag.cancel()
            withdraw(flag)
        }
    }

    /// Hands `job` to the most recently idle thread, else to a new thread, else to the queue.
    private func submit(_ job: Job) {
        pthread_mutex_lock(mutex)
        if let worker = idle.popLast() {
            worker.job = job
            pthread_cond_signal(worker.wake)
            pthread_mutex_unlock(mutex)
            return
        }
        guard threadCount < maximumThreads else {
            queue.append(job)
            pthread_mutex_unlock(mutex)
            return
        }
        threadCount += 1
        peakThreads = max(peakThreads, threadCount)
        pthread_mutex_unlock(mutex)
        let worker = Worker()
        guard startDetachedThread({ [self] in work(worker, first: job) }) else {
            pthread_mutex_lock(mutex)
            threadCount -= 1
            pthread_mutex_unlock(mutex)
            job.abandon(OutboundError.other("could not start a thread for the connection"))
            return
        }
    }

    /// Takes the job with this flag out of the queue, if it is still there, and fails it.
    private func withdraw(_ flag: CancellationFlag) {
        pthread_mutex_lock(mutex)
        let index = queue.firstIndex { $0.cancellation === flag }
        let job = index.map { queue.remove(at: $0) }
        pthread_mutex_unlock(mutex)
        job?.abandon(OutboundError.cancelled)
    }

    /// One piece of work; exactly one of `run` and `abandon` is called, exactly once.
    final class Job: Sendable {
        let cancellation: CancellationFlag
        /// Does the work and returns what hands its result to the waiting task; the worker calls
        /// that only once it is back on the idle stack (see `nextJob(for:finishing:)`).
        let run: @Sendable (CurlSession) -> @Sendable () -> Void
        let abandon: @Sendable (Error) -> Void

        init(
            cancellation: CancellationFlag, run: @escaping @Sendable (CurlSession) -> @Sendable () -> Void,
            abandon: @escaping @Sendable (Error) -> Void
        ) {
            self.cancellation = cancellation
            self.run = run
            self.abandon = abandon
        }
    }
}
