import Glibc

extension TransferThreads {
    /// One thread of the pool: where it is woken, the job handed to it, and its libcurl session.
    ///
    /// `job` is guarded by the pool's mutex and `session` is used on the worker's thread only,
    /// which is what makes the `@unchecked Sendable` sound.
    final class Worker: @unchecked Sendable {
        let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// Set by `submit` while the worker is idle.
        var job: Job?
        let session = CurlSession()

        init() {
            // Timed waits measure against the monotonic clock, which a change of the date cannot move.
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(wake, &attributes)
            pthread_condattr_destroy(&attributes)
        }

        deinit {
            pthread_cond_destroy(wake)
            wake.deallocate()
        }
    }

    /// The body of each thread: runs jobs until it has idled for `idleTimeout`, then closes its
    /// handle's connections and ends.
    func work(_ worker: Worker, first: Job) {
        var next: Job? = first
        while let job = next {
            let finish = job.run(worker.session)
            next = nextJob(for: worker, finishing: finish)
        }
        worker.session.discard()
    }

    /// Hands the last job's result over, then returns a queued job, else one handed to `worker`
    /// while it waits on the idle stack; nil after `idleTimeout` without one, in which case the
    /// worker has left the pool.
    ///
    /// The result goes out only once the worker is idle: a caller sending requests one after
    /// another then finds this thread, and the connection its handle keeps, for the next one.
    private func nextJob(for worker: Worker, finishing finish: () -> Void) -> Job? {
        pthread_mutex_lock(mutex)
        if !queue.isEmpty {
            let job = queue.removeFirst()
            pthread_mutex_unlock(mutex)
            finish()
            return job
        }
        idle.append(worker)
        pthread_mutex_unlock(mutex)
        finish()
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var deadline = Self.monotonicTime(after: idleTimeout)
        // `submit` sets `job` under the mutex before signalling, so a job handed over before the
        // wait begins is seen here, and one handed over just as the wait times out is still taken.
        while worker.job == nil {
            if pthread_cond_timedwait(worker.wake, mutex, &deadline) == ETIMEDOUT { break }
        }
        if let job = worker.job {
            worker.job = nil
            return job
        }
        idle.removeAll { $0 === worker }
        threadCount -= 1
        return nil
    }

    /// The monotonic clock's reading `duration` from now, as `pthread_cond_timedwait` takes it.
    private static func monotonicTime(after duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        return timespec(
            tv_sec: Int(now.tv_sec) + Int(seconds) + nanoseconds / 1_000_000_000,
            tv_nsec: nanoseconds % 1_000_000_000)
    }
}
