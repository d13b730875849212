import HTTPServer
import XCTest

final class TimeoutAndLimitTests: XCTestCase {
    func testHeaderTimeoutAnswers408AndCloses() async throws {
        let (server, port) = try await makeTestServer(
            configure: { $0.headerTimeout = .milliseconds(300) }, routes: standardRoutes)
        let response = try await onThread {
            let client = try RawClient(port: port)
            try client.send("GET /healthz HTTP/1.1\r\nHo")
            let start = Date()
            let response = try client.readResponse()
            XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.2)
            XCTAssertTrue(client.waitForClose())
            return response.status
        }
        XCTAssertEqual(response, 408)
        await server.shutdown()
    }

    func testSlowBodyTimesOutToo() async throws {
        let (server, port) = try await makeTestServer(
            configure: { $0.headerTimeout = .milliseconds(300) }, routes: standardRoutes)
        let status = try await onThread {
            let client = try RawClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
            return try client.readResponse().status
        }
        XCTAssertEqual(status, 408)
        await server.shutdown()
    }

    func testIdleKeepAliveConnectionIsClosedSilently() async throws {
        let (server, port) = try await makeTestServer(
            configure: { $0.idleTimeout = .milliseconds(300) }, routes: standardRoutes)
        try await onThread {
            let client = try RawClient(port: port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            XCTAssertEqual(try client.readResponse().text, "ok")
            let start = Date()
            XCTAssertTrue(client.waitForClose())
            XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.2)
            XCTAssertTrue(client.leftover.isEmpty, "idle close must not send a response")
        }
        await server.shutdown()
    }

    func testConnectionsBeyondTheCapAreRefusedWith503() async throws {
        let (server, port) = try await makeTestServer(
            workers: 2, configure: { $0.maxConnections = 2 }, routes: standardRoutes)
        try await onThread {
            let first = try RawClient(port: port)
            let second = try RawClient(port: port)
            for client in [first, second] {
                try client.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
                XCTAssertEqual(try client.readResponse().status, 200)
            }
            let third = try RawClient(port: port)
            try? third.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            if let response = try? third.readResponse() {
                XCTAssertEqual(response.status, 503)
            }
            XCTAssertTrue(third.waitForClose())
            // Kept connections still work, and a slot frees up when one closes.
            try first.send("GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            XCTAssertEqual(try first.readResponse().status, 200)
            XCTAssertTrue(first.waitForClose())
            first.close()
            var status = 0
            for _ in 0..<50 where status != 200 {
                Thread.sleep(forTimeInterval: 0.02)
                status = (try? get(port: port, "/healthz").status) ?? 0
            }
            XCTAssertEqual(status, 200)
        }
        await server.shutdown()
    }

    /// A client that never reads a huge response, and another that trickles its head, must not
    /// delay anyone else.
    func testSlowClientsDoNotStallOthers() async throws {
        let (server, port) = try await makeTestServer(workers: 1, routes: standardRoutes)
        try await onThread {
            let slowReader = try RawClient(port: port)
            try slowReader.send("GET /big?size=50000000 HTTP/1.1\r\nHost: h\r\n\r\n")
            let slowWriter = try RawClient(port: port)
            try slowWriter.send("GET /hea")
            Thread.sleep(forTimeInterval: 0.1)
            for _ in 0..<20 {
                let start = Date()
                XCTAssertEqual(try get(port: port, "/healthz").text, "ok")
                XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
            }
            try slowWriter.send("lthz HTTP/1.1\r\nHost: h\r\n\r\n")
            XCTAssertEqual(try slowWriter.readResponse().text, "ok")
            _ = slowReader
        }
        await server.shutdown()
    }
}
