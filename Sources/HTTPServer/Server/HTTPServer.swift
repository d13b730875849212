import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 server: one epoll event loop per worker thread, each with its own listening
/// socket, running `async` handlers on the loop threads.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 8080), router: router)
/// try await server.runUntilShutdownSignal()
/// ```
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(loops: [EventLoop], port: Int)
        case stopping
        case stopped
    }

    private let core: ServerCore
    private let state = Mutex(State.idle)
    private let stopLatch = Latch()

    /// A server answering every request with `responder`. Thrown ``HTTPResponseError``s become
    /// their own responses; any other error becomes a 500.
    public init<Context: RequestContext>(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        logger: Logger = Logger(label: "http-server"), responder: @escaping Responder<Context>
    ) {
        core = ServerCore(
            configuration: configuration, responder: makeServerResponder(responder), logger: logger)
    }

    /// A server dispatching through `router` (its table is frozen now; later changes are ignored).
    public convenience init<Context: RequestContext>(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router<Context>,
        logger: Logger = Logger(label: "http-server")
    ) {
        self.init(configuration: configuration, logger: logger, responder: router.makeResponder())
    }

    public var configuration: HTTPServerConfiguration { core.configuration }

    /// The bound port once started, else nil.
    public var port: Int? {
        state.withLock { state in
            if case .running(_, let port) = state { return port }
            return nil
        }
    }

    /// Binds and starts the event loops; returns the bound port (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        try state.withLock { state throws(HTTPServerError) -> Int in
            guard case .idle = state else { throw HTTPServerError(.invalidState("already started")) }
            let (loops, port) = try makeLoops()
            state = .running(loops: loops, port: port)
            core.logger.info(
                "listening",
                metadata: ["address": "\(core.configuration.host):\(port)", "loops": "\(loops.count)"])
            return port
        }
    }

    private func makeLoops() throws(HTTPServerError) -> ([EventLoop], Int) {
        let configuration = core.configuration
        let reusePort = configuration.workers > 1
        if reusePort && configuration.port != 0 {
            // SO_REUSEPORT would let us share a port another server already holds; a plain
            // bind first turns that into the usual "address in use".
            let probe = try Socket.listen(
                host: configuration.host, port: configuration.port, reusePort: false, backlog: 1)
            close(probe)
        }
        var listeners: [Int32] = []
        var loops: [EventLoop] = []
        var port = configuration.port
        do throws(HTTPServerError) {
            for _ in 0..<configuration.workers {
                listeners.append(
                    try Socket.listen(
                        host: configuration.host, port: port, reusePort: reusePort,
                        backlog: configuration.backlog))
                if listeners.count == 1 { port = try Socket.localPort(listeners[0]) }
            }
            for (index, listener) in listeners.enumerated() {
                loops.append(try EventLoop(index: index, core: core, listener: listener))
            }
        } catch {
            for listener in listeners { close(listener) }
            throw error
        }
        stopLatch.reset(count: loops.count)
        for (index, loop) in loops.enumerated() {
            do throws(HTTPServerError) {
                try loop.start { [stopLatch] in stopLatch.countDown() }
            } catch {
                for started in loops[..<index] { started.execute { started.stop() } }
                throw error
            }
        }
        return (loops, port)
    }

    /// Starts if needed, then returns once the server has shut down.
    public func run() async throws {
        if case .idle = state.withLock({ $0 }) { try await start() }
        await stopLatch.wait()
    }

    /// Graceful shutdown: stop accepting (new connections are refused), close idle connections,
    /// let in-flight requests finish for up to `shutdownGracePeriod`, then close the rest and
    /// stop the loops. Returns when everything is closed; calling it again just waits.
    public func shutdown() async {
        let loops = state.withLock { state -> [EventLoop]? in
            switch state {
            case .running(let loops, _):
                state = .stopping
                return loops
            case .idle:
                state = .stopped
                stopLatch.reset(count: 0)
                return nil
            case .stopping, .stopped:
                return nil
            }
        }
        guard let loops else {
            await stopLatch.wait()
            return
        }
        for loop in loops { loop.execute { loop.beginDraining() } }
        let clock = ContinuousClock()
        let deadline = clock.now + core.configuration.shutdownGracePeriod
        while core.connectionCount.load(ordering: .relaxed) > 0 && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for loop in loops { loop.execute { loop.stop() } }
        await stopLatch.wait()
        state.withLock { $0 = .stopped }
        core.logger.info("stopped")
    }

    /// Runs until SIGTERM or SIGINT (or until ``shutdown()`` is called elsewhere), then shuts
    /// down gracefully and returns, so `main` can exit 0.
    public func runUntilShutdownSignal() async throws {
        // Handlers first: once the port is visible, a signal is already caught.
        let waiter = try SignalWaiter()
        if case .idle = state.withLock({ $0 }) { try await start() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                if let signal = await waiter.wait() {
                    self.core.logger.info("shutting down", metadata: ["signal": "\(signal)"])
                    await self.shutdown()
                }
            }
            group.addTask {
                await self.stopLatch.wait()
                waiter.cancel()
            }
            await group.waitForAll()
        }
    }
}
