import JSON
import Postgres
import TestSupport
import XCTest

final class HealthAndErrorTests: XCTestCase {
    func testHealthzAnswersWithSecurityHeaders() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/healthz")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "ok\n")
        XCTAssertEqual(response.header("X-Content-Type-Options"), "nosniff")
        XCTAssertEqual(response.header("Referrer-Policy"), "same-origin")
        let csp = try XCTUnwrap(response.header("Content-Security-Policy"))
        XCTAssertTrue(csp.contains("script-src 'self'"))
        XCTAssertTrue(csp.contains("frame-ancestors 'none'"))
    }

    func testReadyzIsReadyWhenDatabaseAnswersAndMigrationsAreCurrent() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/readyz")
        XCTAssertEqual(response.status, 200)
        let body = try response.json()
        XCTAssertEqual(body["status"]?.string, "ready")
        XCTAssertEqual(body["migrations"]?.string, "current")
    }

    func testReadyzIsNotReadyWhenTheDatabaseIsUnreachable() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let unreachable = try PostgresPool(
            url: "postgresql://patchbay:hunter2-sentinel@127.0.0.1:\(try Self.closedPort())/patchbay",
            size: 1, acquireTimeout: .seconds(2))
        let app = try await TestApp.start(pool: unreachable)
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/readyz")
        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(try response.json()["database"]?.string, "unreachable")
        XCTAssertFalse(response.text.contains("hunter2"))
    }

    func testUnknownAPIPathGetsTheJSONErrorShape() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/api/v1/does-not-exist")
        XCTAssertEqual(response.status, 404)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("application/json") ?? false)
        let error = try XCTUnwrap(response.json()["error"])
        XCTAssertEqual(error["code"]?.string, "not_found")
        XCTAssertFalse(error["message"]?.string?.isEmpty ?? true)
        XCTAssertFalse(error["request_id"]?.string?.isEmpty ?? true)
    }

    func testUnknownPageGetsAnHTMLErrorPageWithTheRequestID() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/no/such/page", headers: [("Accept", "text/html")])
        XCTAssertEqual(response.status, 404)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/html") ?? false)
        XCTAssertTrue(response.text.contains("404"))
        XCTAssertTrue(response.text.lowercased().contains("request id"))
    }

    func testWrongMethodGets405WithAllow() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.send("DELETE", "/healthz")
        XCTAssertEqual(response.status, 405)
        XCTAssertTrue(response.header("Allow")?.contains("GET") ?? false)
    }

    func testStaticFilesAreServedAndTraversalIsRefused() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let icon = try await app.client.get("/static/icons/slack.svg")
        XCTAssertEqual(icon.status, 200)
        XCTAssertEqual(icon.header("Content-Type")?.hasPrefix("image/svg+xml"), true)
        XCTAssertNotNil(icon.header("ETag"))
        let again = try await app.client.get(
            "/static/icons/slack.svg", headers: [("If-None-Match", icon.header("ETag")!)])
        XCTAssertEqual(again.status, 304)
        for path in [
            "/static/../Package.swift", "/static/%2e%2e/Package.swift",
            "/static/icons/..%2f..%2fPackage.swift",
        ] {
            let response = try await app.client.get(path)
            XCTAssertNotEqual(response.status, 200, path)
            XCTAssertFalse(response.text.contains("PackageDescription"), path)
        }
    }

    func testMalformedRequestGets400AndServerKeepsServing() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let bad = try await app.client.raw(
            Array(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .utf8))
        XCTAssertEqual(bad.status, 400)
        let good = try await app.client.get("/healthz")
        XCTAssertEqual(good.status, 200)
    }

    private static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
