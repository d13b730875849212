import Foundation
import Glibc
import HTTPServer
import XCTest

/// Handlers can wait for another socket on their event loop (`EventLoopSockets`), as database
/// connections do, and keep serving other requests meanwhile.
final class SocketWaitTests: XCTestCase {
    func testAHandlerWaitsForASocketOnItsLoopWhileTheLoopServesOthers() async throws {
        var pair: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        defer {
            close(pair[0])
            close(pair[1])
        }
        let reader = pair[0]
        let (server, port) = try await makeTestServer(workers: 1) { router in
            router.get("/wait") { _, _ in
                let onLoop = EventLoopSockets.isOnEventLoop
                let waited = await EventLoopSockets.waitUntilReadable(reader)
                var byte: UInt8 = 0
                let count = read(reader, &byte, 1)
                return .text("\(onLoop) \(waited) \(count) \(byte)")
            }
            router.get("/healthz") { _, _ in .text("ok") }
        }
        defer { Task { await server.shutdown() } }
        XCTAssertFalse(EventLoopSockets.isOnEventLoop, "a test's own thread is no loop")
        let outside = await EventLoopSockets.waitUntilReadable(reader)
        XCTAssertFalse(outside, "off a loop it refuses at once instead of waiting")

        let waiting = Task.detached { try get(port: port, "/wait") }
        try await Task.sleep(for: .milliseconds(100))
        // The only loop is waiting for the socket, yet it still answers.
        XCTAssertEqual(try get(port: port, "/healthz").text, "ok")
        var byte: UInt8 = 42
        XCTAssertEqual(write(pair[1], &byte, 1), 1)
        let answer = try await waiting.value
        XCTAssertEqual(answer.text, "true true 1 42")
    }
}

/// `EventLoopSockets.wait`: several sockets, either direction, with a time limit.
final class SocketWaitWithTimeoutTests: XCTestCase {
    var pairs: [[Int32]] = []

    override func setUpWithError() throws {
        for _ in 0..<2 {
            var pair: [Int32] = [0, 0]
            XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
            pairs.append(pair)
        }
    }

    override func tearDown() {
        for pair in pairs { pair.forEach { close($0) } }
    }

    /// Serves `/wait`, which waits as `body` says on the server's only loop and answers with what
    /// the wait came to and how long it took.
    func serve(_ body: @escaping @Sendable () async -> EventLoopSockets.Readiness) async throws -> (
        HTTPServer, Int
    ) {
        try await makeTestServer(workers: 1) { router in
            router.get("/wait") { _, _ in
                let started = ContinuousClock.now
                let readiness = await body()
                return .text("\(readiness) \(Int((ContinuousClock.now - started) / .milliseconds(1)))")
            }
            router.get("/healthz") { _, _ in .text("ok") }
        }
    }

    func testTheFirstReadySocketOfSeveralEndsTheWait() async throws {
        let (first, second) = (pairs[0][0], pairs[1][0])
        let (server, port) = try await serve {
            await EventLoopSockets.wait(
                for: [
                    EventLoopSockets.Interest(descriptor: first),
                    EventLoopSockets.Interest(descriptor: second),
                ],
                timeoutMilliseconds: 5_000)
        }
        defer { Task { await server.shutdown() } }
        let waiting = Task.detached { try get(port: port, "/wait") }
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(try get(port: port, "/healthz").text, "ok", "the loop serves others meanwhile")
        var byte: UInt8 = 7
        XCTAssertEqual(write(pairs[1][1], &byte, 1), 1)
        let answer = try await waiting.value.text
        XCTAssertTrue(
            answer.hasPrefix("ready(\(second), readable: true, writable: false, failed: false)"), answer)
    }

    func testAWritableSocketIsReadyAtOnce() async throws {
        let socket = pairs[0][0]
        let (server, port) = try await serve {
            await EventLoopSockets.wait(
                for: [EventLoopSockets.Interest(descriptor: socket, readable: false, writable: true)],
                timeoutMilliseconds: 5_000)
        }
        defer { Task { await server.shutdown() } }
        let answer = try get(port: port, "/wait").text
        XCTAssertTrue(
            answer.hasPrefix("ready(\(socket), readable: false, writable: true, failed: false)"), answer)
    }

    func testTheWaitEndsWhenItsTimeIsUpAndAHangUpIsReported() async throws {
        let socket = pairs[0][0]
        let (server, port) = try await serve {
            await EventLoopSockets.wait(
                for: [EventLoopSockets.Interest(descriptor: socket)], timeoutMilliseconds: 150)
        }
        defer { Task { await server.shutdown() } }
        let text = try get(port: port, "/wait").text
        let answer = text.split(separator: " ")
        XCTAssertEqual(answer.first, "timedOut", text)
        let waited = try XCTUnwrap(answer.last.flatMap { Int($0) }, text)
        XCTAssertGreaterThanOrEqual(waited, 140)
        XCTAssertLessThan(waited, 1_000)

        close(pairs[0][1])
        pairs[0][1] = -1
        let hungUp = try get(port: port, "/wait").text
        XCTAssertTrue(
            hungUp.hasPrefix("ready(\(socket), readable: true, writable: false, failed: true)"), hungUp)
    }

    func testOffALoopTheWaitIsUnavailable() async {
        let readiness = await EventLoopSockets.wait(
            for: [EventLoopSockets.Interest(descriptor: pairs[0][0])], timeoutMilliseconds: 10)
        XCTAssertEqual(readiness, .unavailable)
    }
}
