import Foundation
import HTTPServer
import JSON
import Patchbay
import TestSupport
import XCTest

/// Unique secret values go in through the API, the forms (also a form that fails validation) and the
/// live field check; afterwards no page, fragment or API answer of the tenant, no log line and no
/// column of the database holds any of them in clear.
final class SecretSentinelTests: XCTestCase {
    private var app: TestApp!
    private let logs = LogRecorder()

    override func setUp() async throws {
        app = try await TestApp.start(logger: logs.logger("test.app"))
        try await ConnectorFixtures.seed(app.app.catalog)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    func testSecretsAppearNowhereAfterGoingIn() async throws {
        let acme = try await app.fixtures.tenant("acme", name: "Acme")
        let owner = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner)
        let token = try await app.fixtures.token(in: acme, role: .owner).secret
        let browser = app.session()
        _ = try await browser.login("owner@acme.test", IdentityFixtures.password)
        let sentinels = (0..<5).map { _ in ConnectorFixtures.sentinel() }
        let api = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]

        // Through the API, then replaced through the API.
        let created = try await app.client.send(
            "POST", "/api/v1/connectors", headers: api,
            body: JSON.object([
                "catalog_key": "openai", "name": "Sentinel AI", "config": ["default_model": "gpt-4o"],
                "auth": ["api_key": .string(sentinels[0])],
            ]).serialized())
        XCTAssertEqual(created.status, 201)
        let aiID = try XCTUnwrap(try created.json()["id"]?.string)
        let patched = try await app.client.send(
            "PATCH", "/api/v1/connectors/\(aiID)", headers: api,
            body: JSON.object(["auth": ["api_key": .string(sentinels[1])]]).serialized())
        XCTAssertEqual(patched.status, 200)

        // Through the install form: first refused (bad port), then accepted.
        _ = try await browser.get("/features/connectors/new/postgresql")
        var form = [
            ("catalog_key", "postgresql"), ("name", "Sentinel DB"), ("config.host", "db.internal"),
            ("config.port", "99999"),
            ("config.database", "app"), ("config.user", "app"), ("config.sslmode", "require"),
            ("auth.password", sentinels[2]),
        ]
        let refused = try await browser.post("/features/connectors", form: form)
        XCTAssertEqual(refused.status, 422)
        XCTAssertTrue(refused.text.contains("must be at most 65535"))
        XCTAssertFalse(refused.text.contains(sentinels[2]), "a refused form never echoes a secret")
        form[3] = ("config.port", "5432")
        let accepted = try await browser.post("/features/connectors", form: form)
        XCTAssertEqual(accepted.status, 303)

        // The live check of one field, sent with a secret in the form.
        let live = try await browser.post(
            "/features/connectors/validate-field",
            form: form + [("_field", "config.port"), ("auth.password", sentinels[3])],
            headers: [("HX-Request", "true")])
        XCTAssertEqual(live.status, 200)
        XCTAssertFalse(live.text.contains(sentinels[3]))

        // The edit form, saved with a new secret and an invalid setting.
        let connectors = try await app.app.connectors.list(
            ConnectorFilter(), try await app.fixtures.identity(owner, in: acme))
        let dbID = try XCTUnwrap(
            connectors.connectors.first { $0.name == "Sentinel DB" }?.id.uuidString.lowercased())
        let edit = try await browser.post(
            "/features/connectors/\(dbID)",
            form: form.filter { $0.0 != "catalog_key" && $0.0 != "auth.password" } + [
                ("config.port", "nope"), ("auth.password", sentinels[4]),
            ])
        XCTAssertEqual(edit.status, 422)
        XCTAssertFalse(edit.text.contains(sentinels[4]))
        _ = try await browser.post("/features/connectors/\(aiID)/activate")

        let bodies = try await crawl(browser: browser, token: token, ids: [aiID, dbID])
        XCTAssertGreaterThan(bodies.count, 20, "the crawl reached the tenant's pages and API")
        XCTAssertTrue(bodies.contains { $0.contains("Sentinel DB") }, "the crawl saw the connectors")
        for sentinel in sentinels {
            for body in bodies { XCTAssertFalse(body.contains(sentinel), "a response holds a secret") }
            XCTAssertFalse(logs.text.contains(sentinel), "the logs hold a secret")
        }
        XCTAssertGreaterThan(logs.count, 20, "the logs were recorded")

        let raw = try await app.fixtures.column(
            """
            SELECT row_to_json(c)::text FROM connectors c
            UNION ALL SELECT encode(auth_ciphertext, 'escape') FROM connectors
            UNION ALL SELECT row_to_json(a)::text FROM audit_events a
            """)
        for sentinel in sentinels {
            XCTAssertFalse(raw.contains { $0?.contains(sentinel) ?? false }, "a clear copy is stored")
        }
    }

    /// Every GET route of the router for the tenant: pages with the session (also as HTMX fragments),
    /// the API with the token. Path parameters are filled with the tenant's own objects.
    private func crawl(browser: TestSession, token: String, ids: [String]) async throws -> [String] {
        var bodies: [String] = []
        let fragments = ["", "tab-panel", "installed-grid", "modal", "connector-form", "main"]
        for route in app.app.makeRouter().routes where route.method == .get {
            for path in expand(route.pattern, ids: ids) {
                if path.hasPrefix("/api/") {
                    let response = try await app.client.send(
                        "GET", path, headers: [("Authorization", "Bearer \(token)")])
                    bodies.append(response.text + response.headers.map { "\($0.0): \($0.1)" }.joined())
                    continue
                }
                for target in fragments {
                    let headers = target.isEmpty ? [] : [("HX-Request", "true"), ("HX-Target", target)]
                    let response = try await browser.get(path, headers: headers)
                    bodies.append(response.text + response.headers.map { "\($0.0): \($0.1)" }.joined())
                }
            }
            if route.pattern.contains("{id}") {
                for id in ids {
                    let upgrade = try await browser.get("/features/connectors/\(id)/edit?upgrade=1")
                    bodies.append(upgrade.text)
                }
            }
        }
        return bodies
    }

    private func expand(_ pattern: String, ids: [String]) -> [String] {
        if pattern.contains("{id}") { return ids.map { pattern.replacingOccurrences(of: "{id}", with: $0) } }
        if pattern.contains("{key}") {
            return ["openai", "postgresql"].map { pattern.replacingOccurrences(of: "{key}", with: $0) }
        }
        return pattern.contains("{") ? [] : [pattern]
    }
}
