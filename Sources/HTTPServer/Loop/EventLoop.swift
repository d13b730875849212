import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One thread running `epoll_wait` over a listening socket and its connections. It is also a
/// `TaskExecutor`: handler tasks are started with it as their executor preference, so they run
/// on this thread between two waits, with no hop through the global pool.
///
/// `@unchecked Sendable`: it wraps an epoll descriptor and a thread. Everything but
/// `remote`, `loopThread` and `wakePending` is touched only on the loop's own thread.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    enum Remote {
        case job(UnownedJob)
        case call(@Sendable () -> Void)
    }

    let index: Int
    let core: ServerCore
    let epoll: Epoll
    private let wakeup: EventFD
    private let remote = Mutex<[Remote]>([])
    private let wakePending = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private let stopped = Atomic<Bool>(false)

    private(set) var listenerDescriptor: Int32
    private var localJobs: [UnownedJob] = []
    var connections: [Connection?] = []
    private var nextGeneration: UInt32 = 0
    var now: UInt64 = monotonicMilliseconds()
    private var nextSweep: UInt64 = 0
    var dateCache = DateCache()
    var isDraining = false
    private var stopRequested = false
    private var onStopped: (@Sendable () -> Void)?
    var requestCounter: UInt64 = 0
    /// Tasks waiting for sockets (`wait(for:timeout:)`), by descriptor.
    var socketWaits: [Int32: SocketWait] = [:]
    /// The waits among them with a deadline, in no order (there are few).
    var timedWaits: [SocketWait] = []
    /// Scratch space for response heads, reused for every response.
    var headScratch: [UInt8] = []
    let readBuffer: UnsafeMutableRawBufferPointer

    static let listenerToken = UInt64.max
    static let wakeupToken = UInt64.max - 1

    init(index: Int, core: ServerCore, listener: Int32) throws(HTTPServerError) {
        self.index = index
        self.core = core
        self.listenerDescriptor = listener
        epoll = try Epoll()
        wakeup = try EventFD()
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        headScratch.reserveCapacity(512)
        try epoll.add(wakeup.fd, events: LinuxAPI.epollIn, token: Self.wakeupToken)
        try epoll.add(listener, events: LinuxAPI.epollIn, token: Self.listenerToken)
    }

    deinit { readBuffer.deallocate() }

    /// Starts the thread; `onStopped` runs on it once the loop has closed everything.
    func start(onStopped: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        self.onStopped = onStopped
        try OSThread.spawn { [self] in run() }
    }

    var isOnLoopThread: Bool { loopThread.load(ordering: .relaxed) == OSThread.current }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isOnLoopThread {
            localJobs.append(job)
        } else {
            submit(.job(job))
        }
    }

    /// Runs `body` on the loop thread (now, when already on it).
    func execute(_ body: @escaping @Sendable () -> Void) {
        if isOnLoopThread { body() } else { submit(.call(body)) }
    }

    private func submit(_ item: Remote) {
        let accepted = remote.withLock { queue -> Bool in
            guard !stopped.load(ordering: .acquiring) else { return false }
            queue.append(item)
            return true
        }
        guard accepted else {
            // The loop is gone (after shutdown): finish stragglers elsewhere rather than leak them.
            DispatchQueue.global().async { [self] in runDetached(item) }
            return
        }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { wakeup.signal() }
    }

    private func runDetached(_ item: Remote) {
        switch item {
        case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
        case .call(let body): body()
        }
    }

    // MARK: The loop

    private func run() {
        loopThread.store(OSThread.current, ordering: .releasing)
        Self.setCurrent(self)
        defer { Self.setCurrent(nil) }
        dateCache.refresh()
        while !stopRequested {
            var timeout = localJobs.isEmpty ? min(core.sweepInterval, 1000) : 0
            if let untilDeadline = millisecondsToNextDeadline { timeout = min(timeout, untilDeadline) }
            let count = epoll.wait(timeout: Int32(timeout))
            now = monotonicMilliseconds()
            dateCache.refresh()
            for eventIndex in 0..<count {
                let event = epoll.event(at: eventIndex)
                dispatch(event.mask, token: event.token)
            }
            expireSocketWaits()
            runJobs()
            if now >= nextSweep {
                nextSweep = now + core.sweepInterval
                sweep()
            }
        }
        finish()
    }

    private func dispatch(_ mask: UInt32, token: UInt64) {
        switch token {
        case Self.wakeupToken:
            wakeup.drain()
            wakePending.store(false, ordering: .releasing)
            let items = remote.withLock { queue in
                let items = queue
                queue.removeAll()
                return items
            }
            for item in items {
                switch item {
                case .job(let job): localJobs.append(job)
                case .call(let body): body()
                }
            }
        case Self.listenerToken:
            acceptConnections()
        case _ where token & Self.readinessBit != 0:
            resumeSocketWait(token, events: mask)
        default:
            let fd = Int(token & 0xFFFF_FFFF)
            guard fd < connections.count, let connection = connections[fd],
                connection.generation == UInt32(truncatingIfNeeded: token >> 32)
            else { return }
            connection.handle(events: mask)
        }
    }

    /// Runs queued jobs; jobs they enqueue run in the same pass, up to a bound so sockets are
    /// not starved by a task that keeps yielding.
    private func runJobs() {
        var rounds = 0
        while !localJobs.isEmpty && rounds < 16 {
            let jobs = localJobs
            localJobs.removeAll(keepingCapacity: true)
            for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            rounds += 1
        }
    }

    private func sweep() {
        for connection in connections { connection?.checkDeadline() }
    }

    private func finish() {
        for connection in connections { connection?.close() }
        abandonSocketWaits()
        if listenerDescriptor >= 0 {
            close(listenerDescriptor)
            listenerDescriptor = -1
        }
        let leftovers = remote.withLock { queue in
            stopped.store(true, ordering: .releasing)
            let items = queue
            queue.removeAll()
            return items
        }
        let pendingJobs = localJobs
        localJobs.removeAll()
        loopThread.store(0, ordering: .releasing)
        for job in pendingJobs { submit(.job(job)) }
        for item in leftovers { submit(item) }
        onStopped?()
        onStopped = nil
    }

    /// Generations stay below 2^30 so that a connection's token never carries `readinessBit`.
    func nextConnectionGeneration() -> UInt32 {
        nextGeneration = (nextGeneration &+ 1) & 0x3FFF_FFFF
        return nextGeneration
    }

    // MARK: Shutdown steps, each called on the loop thread

    /// Stops accepting (new connections are refused) and closes connections that are idle;
    /// busy ones close after their current response.
    func beginDraining() {
        isDraining = true
        if listenerDescriptor >= 0 {
            epoll.remove(listenerDescriptor)
            close(listenerDescriptor)
            listenerDescriptor = -1
        }
        for connection in connections { connection?.closeIfIdle() }
    }

    /// Ends the loop; whatever is still open is closed.
    func stop() {
        stopRequested = true
    }
}
