import Glibc

/// A dedicated OS thread that runs submitted jobs one after another.
///
/// libpq calls block, and Swift's cooperative threads must never block, so each connection gets a
/// thread of its own; async callers enqueue a job and await its result through a continuation.
/// The job queue is guarded by a pthread mutex and condition variable, which is what makes the
/// `@unchecked Sendable` sound.
final class ConnectionThread: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [() -> Void] = []
    private var isStopping = false

    /// Starts the thread.
    init() throws {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        try startThread { [self] in runLoop() }
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues `job`; returns false when the thread is stopping and will not run it.
    @discardableResult
    func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isStopping else { return false }
        jobs.append(job)
        pthread_cond_signal(condition)
        return true
    }

    /// Runs `work` on the thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { continuation in
            let accepted = enqueue { continuation.resume(with: Result { try work() }) }
            if !accepted {
                continuation.resume(throwing: PostgresError(.closed, "the connection has been closed"))
            }
        }
    }

    /// Lets the thread finish the jobs already queued, then exit; later jobs are refused.
    func stop() {
        pthread_mutex_lock(mutex)
        isStopping = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func runLoop() {
        var batch: [() -> Void] = []
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !isStopping {
                pthread_cond_wait(condition, mutex)
            }
            if jobs.isEmpty && isStopping {
                pthread_mutex_unlock(mutex)
                return
            }
            swap(&batch, &jobs)
            pthread_mutex_unlock(mutex)
            for job in batch { job() }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

/// Starts a detached pthread running `body`.
func startThread(_ body: @escaping () -> Void) throws {
    final class Box {
        let body: () -> Void
        init(body: @escaping () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body: body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
        &thread, nil,
        { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
    guard status == 0 else {
        Unmanaged<Box>.fromOpaque(box).release()
        throw PostgresError(.connection, "could not start a connection thread (error \(status))")
    }
    pthread_detach(thread)
}
