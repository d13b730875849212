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
