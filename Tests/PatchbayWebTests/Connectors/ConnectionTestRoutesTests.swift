import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The connection-test and health-check routes over a real socket. The connector under test is a
/// REST connector pointed at the test app itself: `/healthz` answers 200, any unknown path 404.
final class ConnectionTestRoutesTests: XCTestCase {
    private var app: TestApp!
    private var acme: Tenant!
    private var tokens: [Role: String] = [:]
    private let secret = "sk_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")

    override func setUp() async throws {
        app = try await TestApp.start(outboundAllow: "127.0.0.1")
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["rest", "webhook"])
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        for role in Role.allCases {
            tokens[role] = try await app.fixtures.token(in: acme, role: role, name: "\(role.rawValue)-bot")
                .secret
        }
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private var selfURL: String { "http://127.0.0.1:\(app.client.port)" }

    private func call(_ role: Role, _ method: String, _ path: String, _ body: JSON? = nil) async throws
        -> TestResponse
    {
        var headers = [("Authorization", "Bearer \(tokens[role]!)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await app.client.send(
            method, path, headers: headers, body: body?.serialized() ?? [])
        XCTAssertFalse(response.text.contains(secret), "\(method) \(path) showed the secret")
        return response
    }

    private func installREST(path: String = "/healthz") async throws -> String {
        let created = try await call(
            .admin, "POST", "/api/v1/connectors",
            [
                "catalog_key": "rest", "name": "Self check",
                "config": ["base_url": .string(selfURL), "health_check_path": .string(path)],
                "auth": ["method": "bearer", "token": .string(secret)],
            ])
        XCTAssertEqual(created.status, 201, created.text)
        return try XCTUnwrap(try created.json()["id"]?.string)
    }

    func testTheAPITestsASavedConnectorAndRecordsTheResult() async throws {
        let id = try await installREST()
        let refused = try await call(.viewer, "POST", "/api/v1/connectors/\(id)/test")
        XCTAssertEqual(refused.status, 403)

        let passed = try await call(.developer, "POST", "/api/v1/connectors/\(id)/test")
        XCTAssertEqual(passed.status, 200, passed.text)
        let result = try passed.json()
        XCTAssertEqual(result["success"], true)
        XCTAssertEqual(result["message"], "HTTP 200 from 127.0.0.1.")
        XCTAssertNotNil(result["latency_ms"]?.int)
        XCTAssertEqual(result["details"]?["status"], "200")
        XCTAssertNil(result["error_kind"])
        XCTAssertEqual(result["recorded"], true)
        XCTAssertEqual(result["status"], "inactive")
        let stored = try await call(.viewer, "GET", "/api/v1/connectors/\(id)")
        XCTAssertEqual(try stored.json()["last_test"]?["result"], "success")
        XCTAssertEqual(try stored.json()["last_test"]?["latency_ms"], result["latency_ms"])

        let broken = try await call(
            .admin, "PATCH", "/api/v1/connectors/\(id)", ["config": ["health_check_path": "/no-such-page"]])
        XCTAssertEqual(broken.status, 200, broken.text)
        let failed = try await call(.developer, "POST", "/api/v1/connectors/\(id)/test", ["timeout_ms": 5000])
        XCTAssertEqual(failed.status, 200, "the test ran; its result says it failed")
        let failure = try failed.json()
        XCTAssertEqual(failure["success"], false)
        XCTAssertEqual(failure["error_kind"], "unexpected_status")
        XCTAssertEqual(failure["status"], "error")
        XCTAssertEqual(failure["status_message"], "HTTP 404 from 127.0.0.1, expected 200 or 204.")
        let listed = try await call(.viewer, "GET", "/api/v1/installed?status=error")
        XCTAssertEqual(try listed.json()["total"], 1, "the Installed list follows at once")

        let badTimeout = try await call(
            .developer, "POST", "/api/v1/connectors/\(id)/test", ["timeout_ms": 5])
        XCTAssertEqual(badTimeout.status, 422)
        XCTAssertNotNil(try badTimeout.json()["error"]?["fields"]?["timeout_ms"])
    }

    func testTheAPITestsUnsavedSettingsWithoutSavingThem() async throws {
        let id = try await installREST(path: "/no-such-page")
        let fresh = try await call(
            .developer, "POST", "/api/v1/connectors/test",
            [
                "catalog_key": "rest",
                "config": ["base_url": .string(selfURL), "health_check_path": "/healthz"],
                "auth": ["method": "bearer", "token": .string(secret)],
            ])
        XCTAssertEqual(fresh.status, 200, fresh.text)
        XCTAssertEqual(try fresh.json()["success"], true)

        let fixed = try await call(
            .admin, "POST", "/api/v1/connectors/test",
            [
                "connector_id": .string(id), "config": ["health_check_path": "/healthz"],
                "auth": ["token": ["unchanged": true]],
            ])
        XCTAssertEqual(try fixed.json()["success"], true, fixed.text)
        let stored = try await call(.viewer, "GET", "/api/v1/connectors/\(id)")
        XCTAssertEqual(try stored.json()["config"]?["health_check_path"], "/no-such-page", "nothing saved")
        XCTAssertEqual(try stored.json()["last_test"], .null)
        XCTAssertEqual(try stored.json()["row_version"], 1)

        let redirected = try await call(
            .developer, "POST", "/api/v1/connectors/test",
            ["connector_id": .string(id), "config": ["base_url": "http://127.0.0.1:9"]])
        XCTAssertEqual(redirected.status, 403, "a developer cannot send the saved token elsewhere")

        let missing = try await call(.developer, "POST", "/api/v1/connectors/test", ["config": [:]])
        XCTAssertEqual(missing.status, 422)
        XCTAssertNotNil(try missing.json()["error"]?["fields"]?["catalog_key"])
        let invalid = try await call(
            .developer, "POST", "/api/v1/connectors/test",
            ["catalog_key": "rest", "config": ["base_url": "gopher://x"], "auth": ["method": "none"]])
        XCTAssertEqual(invalid.status, 422)
        XCTAssertNotNil(try invalid.json()["error"]?["fields"]?["config.base_url"])
        let viewer = try await call(.viewer, "POST", "/api/v1/connectors/test", ["catalog_key": "rest"])
        XCTAssertEqual(viewer.status, 403)
    }

    func testHealthChecksAreScheduledThroughTheAPI() async throws {
        let id = try await installREST()
        let developer = try await call(
            .developer, "PUT", "/api/v1/connectors/\(id)/health-check", ["interval_minutes": 15])
        XCTAssertEqual(developer.status, 403)
        let on = try await call(
            .admin, "PUT", "/api/v1/connectors/\(id)/health-check", ["interval_minutes": 15])
        XCTAssertEqual(on.status, 200, on.text)
        XCTAssertEqual(try on.json()["health_check"]?["interval_minutes"], 15)
        XCTAssertNotNil(try on.json()["health_check"]?["next_check_at"]?.string)
        XCTAssertEqual(try on.json()["health_check"]?["consecutive_failures"], 0)
        let tooOften = try await call(
            .admin, "PUT", "/api/v1/connectors/\(id)/health-check", ["interval_minutes": 0])
        XCTAssertEqual(tooOften.status, 422)
        let missing = try await call(.admin, "PUT", "/api/v1/connectors/\(id)/health-check", [:])
        XCTAssertEqual(missing.status, 422)
        let off = try await call(
            .admin, "PUT", "/api/v1/connectors/\(id)/health-check", ["interval_minutes": nil])
        XCTAssertEqual(try off.json()["health_check"]?["interval_minutes"], .null)
        XCTAssertEqual(try off.json()["health_check"]?["next_check_at"], .null)
    }
}
