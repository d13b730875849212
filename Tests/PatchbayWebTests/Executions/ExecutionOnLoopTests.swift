import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// Runs made through the API are driven on the server's event loop (the test server has one): a
/// slow connector leaves the loop free for other requests, its timeout still ends it, and redirects
/// are followed there.
final class ExecutionOnLoopTests: ExecutionWebTestCase {
    func testASlowRunTimesOutWhileTheLoopKeepsServing() async throws {
        echo.reply("/slow", .init(json: #"{"late": true}"#, delay: .seconds(3)))
        let id = try await install(
            "Slow", config: ["method": "GET", "url": .string(echo.url("/slow")), "timeout_ms": 400])
        let (client, token) = (app.client, developer)
        let started = ContinuousClock.now
        let run = Task {
            try await client.send(
                "POST", "/api/v1/connectors/\(id)/execute",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array("{}".utf8))
        }
        try await Task.sleep(for: .milliseconds(100))
        let health = try await app.client.send("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(350), "answered while the run waited")

        let response = try await run.value
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(body["status"], "failed")
        XCTAssertEqual(body["error"]?["kind"], "timeout", response.text)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(app.environment.outbound.client.loop?.idleSessions, 1)
    }

    func testARedirectIsFollowedOnTheLoop() async throws {
        echo.reply("/moved", .init(status: 302, json: "{}", location: echo.url("/echo/7")))
        let id = try await install(
            "Moved",
            config: [
                "method": "GET", "url": .string(echo.url("/moved")),
                "field_mappings": [["source_path": "$.path", "target_field": "path"]],
            ])
        let response = try await execute(developer, id)
        let body = try response.json()
        XCTAssertEqual(body["status"], "completed", response.text)
        XCTAssertEqual(body["mapped"]?["path"], "/echo/7")
        XCTAssertEqual(echo.received("/moved").count, 1)
        XCTAssertEqual(echo.received("/echo/7").count, 1)
        XCTAssertEqual(app.environment.outbound.client.loop?.idleSessions, 1)
    }
}
