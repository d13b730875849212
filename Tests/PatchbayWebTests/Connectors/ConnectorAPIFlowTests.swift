import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The core loop through the HTTP API, as each role: catalog → install (invalid, then valid) →
/// configure → activate → deactivate → delete, with status codes, bodies and audit rows.
final class ConnectorAPIFlowTests: XCTestCase {
    private var app: TestApp!
    private var acme: Tenant!

    override func setUp() async throws {
        app = try await TestApp.start()
        try await ConnectorFixtures.seed(app.app.catalog)
        acme = try await app.fixtures.tenant("acme", name: "Acme")
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private func call(_ token: String, _ method: String, _ path: String, _ body: JSON? = nil) async throws
        -> TestResponse
    {
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await app.client.send(method, path, headers: headers, body: body?.serialized() ?? [])
    }

    func testTheFullFlowForEveryRole() async throws {
        for role in Role.allCases {
            let token = try await app.fixtures.token(in: acme, role: role, name: "\(role.rawValue)-bot")
                .secret
            let mayChange = role >= .admin
            let label = role.rawValue

            let catalog = try await call(token, "GET", "/api/v1/catalog?q=openai")
            XCTAssertEqual(catalog.status, 200, label)
            XCTAssertEqual(try catalog.json()["items"]?[0]?["key"], "openai", label)

            let check = try await call(
                token, "POST", "/api/v1/validate-config",
                [
                    "catalog_key": "openai", "config": ["base_url": "http://insecure"],
                    "auth": ["api_key": "short"],
                ])
            XCTAssertEqual(check.status, role >= .developer ? 200 : 403, label)
            if role >= .developer {
                XCTAssertEqual(try check.json()["valid"], false)
                XCTAssertNotNil(try check.json()["fields"]?["auth.api_key"], label)
            }

            let invalid = try await call(
                token, "POST", "/api/v1/connectors",
                [
                    "catalog_key": "postgresql", "name": "  ", "config": ["host": "db", "port": 99999],
                    "auth": [:],
                ])
            XCTAssertEqual(invalid.status, mayChange ? 422 : 403, label)
            if mayChange {
                let fields = try invalid.json()["error"]?["fields"]
                XCTAssertEqual(fields?["name"], ["is required"], label)
                XCTAssertEqual(fields?["config.port"], ["must be at most 65535"], label)
                XCTAssertNotNil(fields?["config.database"], label)
                XCTAssertEqual(try invalid.json()["error"]?["code"], "validation_failed")
            }
            guard mayChange else {
                let list = try await call(token, "GET", "/api/v1/installed")
                XCTAssertEqual(list.status, 200, label)
                continue
            }
            try await flow(token, role: role)
        }
    }

    /// Install → configure → activate → deactivate → delete for a role that may change connectors.
    private func flow(_ token: String, role: Role) async throws {
        let label = role.rawValue
        let secret = ConnectorFixtures.sentinel()
        let installed = try await call(
            token, "POST", "/api/v1/connectors",
            [
                "catalog_key": "openai", "name": .string("AI of \(label)"),
                "config": ["default_model": "gpt-4o"],
                "auth": ["api_key": .string(secret)], "tags": ["Prod"],
            ])
        XCTAssertEqual(installed.status, 201, label)
        let body = try installed.json()
        let id = try XCTUnwrap(body["id"]?.string)
        XCTAssertEqual(installed.header("Location"), "/api/v1/connectors/\(id)")
        XCTAssertEqual(body["status"], "inactive")
        XCTAssertEqual(body["tags"], ["prod"])
        XCTAssertEqual(body["config"]?["base_url"], "https://api.openai.com/v1", "defaults are filled in")
        XCTAssertEqual(body["auth"]?["api_key"]?["set"], true)
        XCTAssertNil(body["auth"]?["api_key"]?["value"], "secrets are never returned")
        XCTAssertFalse(installed.text.contains(secret))

        let alias = try await call(token, "GET", "/api/v1/connectors")
        XCTAssertEqual(try alias.json()["total"], 1, label)

        let configured = try await call(
            token, "PATCH", "/api/v1/connectors/\(id)",
            [
                "config": ["organization": "org-acme"], "auth": ["api_key": ["unchanged": true]],
                "row_version": 1,
            ])
        XCTAssertEqual(configured.status, 200, label)
        XCTAssertEqual(try configured.json()["config"]?["organization"], "org-acme")
        XCTAssertEqual(try configured.json()["row_version"], 2)
        XCTAssertEqual(
            try configured.json()["auth"]?["api_key"]?["fingerprint"],
            body["auth"]?["api_key"]?["fingerprint"],
            "an unchanged secret keeps its fingerprint")

        let stale = try await call(
            token, "PUT", "/api/v1/connectors/\(id)", ["name": "Renamed", "config": [:], "row_version": 1])
        XCTAssertEqual(stale.status, 409, label)
        XCTAssertTrue(try stale.json()["error"]?["message"]?.string?.contains("Reload") ?? false)

        let activated = try await call(token, "POST", "/api/v1/connectors/\(id)/status", ["status": "active"])
        XCTAssertEqual(activated.status, 200, label)
        XCTAssertEqual(try activated.json()["status"], "active")
        let refused = try await call(token, "POST", "/api/v1/connectors/\(id)/status", ["status": "error"])
        XCTAssertEqual(refused.status, 422, label)
        let deactivated = try await call(
            token, "POST", "/api/v1/connectors/\(id)/status", ["status": "inactive"])
        XCTAssertEqual(try deactivated.json()["status"], "inactive")

        let deleted = try await call(token, "DELETE", "/api/v1/connectors/\(id)")
        XCTAssertEqual(deleted.status, 204, label)
        let gone = try await call(token, "GET", "/api/v1/connectors/\(id)")
        XCTAssertEqual(gone.status, 404, label)
        XCTAssertEqual(try gone.json()["error"]?["code"], "not_found")

        let audit = try await app.fixtures.column(
            "SELECT action || ' by ' || actor_label FROM audit_events WHERE target_id = $1 ORDER BY id", [id])
        let expected = [
            "connector.installed", "connector.updated", "connector.status_changed",
            "connector.status_changed",
            "connector.deleted",
        ]
        XCTAssertEqual(audit.map { $0?.components(separatedBy: " by ").first }, expected, label)
        XCTAssertTrue(audit.allSatisfy { $0?.contains("\(label)-bot") ?? false }, "\(audit)")
        let details = try await app.fixtures.column(
            "SELECT details::text FROM audit_events WHERE target_id = $1", [id])
        XCTAssertFalse(details.contains { $0?.contains(secret) ?? false }, "no secret in audit details")
    }

    func testASessionNeedsItsCSRFTokenForTheAPI() async throws {
        _ = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner)
        let browser = app.session()
        let login = try await browser.login("owner@acme.test", IdentityFixtures.password)
        XCTAssertEqual(login.status, 303)
        let body: JSON = [
            "catalog_key": "openai", "name": "Session AI", "config": ["default_model": "gpt-4o"],
            "auth": ["api_key": .string(ConnectorFixtures.sentinel())],
        ]
        let withoutToken = try await browser.api("POST", "/api/v1/connectors", json: body, csrf: false)
        XCTAssertEqual(withoutToken.status, 403)
        let created = try await browser.api("POST", "/api/v1/connectors", json: body)
        XCTAssertEqual(created.status, 201)
        let targets = try await browser.api("GET", "/api/v1/publish-targets")
        XCTAssertEqual(try targets.json()["items"], [])
    }

    func testTwoSimultaneousInstallsWithTheSameNameGiveOne201AndOne409() async throws {
        let token = try await app.fixtures.token(in: acme, role: .admin).secret
        let client = app.client
        for round in 0..<5 {
            let name = "Twin \(round)"
            let statuses = try await withThrowingTaskGroup(of: (Int, JSON?).self) { group in
                for spelling in [name, name.uppercased()] {
                    group.addTask {
                        let body: JSON = [
                            "catalog_key": "openai", "name": .string(spelling),
                            "config": ["default_model": "m"],
                            "auth": ["api_key": .string(ConnectorFixtures.sentinel())],
                        ]
                        let response = try await client.send(
                            "POST", "/api/v1/connectors",
                            headers: [
                                ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
                            ],
                            body: body.serialized())
                        return (response.status, try? response.json())
                    }
                }
                var results: [(Int, JSON?)] = []
                for try await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }
            }
            XCTAssertEqual(statuses.map(\.0), [201, 409], "round \(round)")
            XCTAssertNotNil(statuses.last?.1?["error"]?["fields"]?["name"], "the 409 names the field")
        }
        let count = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["5"])
    }
}
