import HTTPServer
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ShutdownTests: XCTestCase {
    func testInFlightRequestFinishesAndNewConnectionsAreRefused() async throws {
        let (server, port) = try await makeTestServer(routes: standardRoutes)
        let running = Task { try await server.run() }
        let idle = try RawClient(port: port)
        try idle.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = try idle.readResponse()

        async let slow = onThread { () -> WireResponse in
            let client = try RawClient(port: port)
            try client.send("GET /slow?ms=600 HTTP/1.1\r\nHost: h\r\n\r\n")
            return try client.readResponse()
        }
        try await Task.sleep(for: .milliseconds(150))
        async let stopping: Void = server.shutdown()
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertThrowsError(try RawClient(port: port), "new connections must be refused")
        let idleClosed = try await onThread { idle.waitForClose() }
        XCTAssertTrue(idleClosed, "idle connections close at once")

        let response = try await slow
        XCTAssertEqual(response.text, "slow done")
        XCTAssertEqual(response.header("Connection"), "close")
        await stopping
        try await running.value
    }

    func testGracePeriodBoundsTheWait() async throws {
        let (server, port) = try await makeTestServer(
            configure: { $0.shutdownGracePeriod = .milliseconds(300) }, routes: standardRoutes)
        let client = try RawClient(port: port)
        try client.send("GET /slow?ms=10000 HTTP/1.1\r\nHost: h\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        await server.shutdown()
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        let closed = try await onThread { client.waitForClose() }
        XCTAssertTrue(closed)
    }

    func testSIGTERMStopsRunUntilShutdownSignal() async throws {
        let (server, port) = try await makeTestServer(routes: standardRoutes)
        await server.shutdown()
        _ = port

        let fresh = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, workers: 1),
            router: Router(context: BasicRequestContext.self))
        let running = Task { try await fresh.runUntilShutdownSignal() }
        while fresh.port == nil { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(try get(port: fresh.port!, "/missing").status, 404)
        kill(getpid(), SIGTERM)
        try await running.value
        XCTAssertThrowsError(try RawClient(port: port))
    }

    func testShutdownTwiceThenNoRestart() async throws {
        let (server, _) = try await makeTestServer(routes: standardRoutes)
        async let first: Void = server.shutdown()
        async let second: Void = server.shutdown()
        _ = await (first, second)
        do {
            _ = try await server.start()
            XCTFail("a stopped server cannot start again")
        } catch let error as HTTPServerError {
            XCTAssertEqual(error.kind, .invalidState("already started"))
        }
    }
}

extension ShutdownTests {
    func testAPortInUseIsReportedEvenWithSeveralWorkers() async throws {
        let (first, port) = try await makeTestServer(workers: 2, routes: standardRoutes)
        let second = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, workers: 2),
            router: Router(context: BasicRequestContext.self))
        do {
            try await second.start()
            XCTFail("two servers must not share a port")
        } catch let error as HTTPServerError {
            XCTAssertEqual(error.errno, EADDRINUSE)
        }
        await first.shutdown()
    }
}
