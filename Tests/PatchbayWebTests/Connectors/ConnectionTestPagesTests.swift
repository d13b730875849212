import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// "Test" on the card, the detail page and in the forms, as the HTMX client and a plain browser use
/// them, and the detail page's health-check setting. The connector under test points at the test app.
final class ConnectionTestPagesTests: XCTestCase {
    private var app: TestApp!
    private var admin: TestSession!
    private var connectorID = ""
    private let fromInstalled = [
        ("HX-Request", "true"), ("HX-Current-URL", "http://127.0.0.1/features/connectors/installed"),
    ]
    private let secret = "sk_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")

    override func setUp() async throws {
        app = try await TestApp.start(outboundAllow: "127.0.0.1")
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["rest"])
        let acme = try await app.fixtures.tenant("acme", name: "Acme")
        for role in [Role.admin, .developer, .viewer] {
            _ = try await app.fixtures.member("\(role.rawValue)@acme.test", of: acme, role: role)
        }
        admin = try await session("admin")
        let created = try await admin.post(
            "/features/connectors",
            form: [
                ("catalog_key", "rest"), ("name", "Self check"), ("config.base_url", selfURL),
                ("config.health_check_path", "/healthz"), ("auth.method", "bearer"), ("auth.token", secret),
            ])
        XCTAssertEqual(created.status, 303, created.text)
        let ids = try await app.fixtures.column("SELECT id::text FROM connectors")
        connectorID = try XCTUnwrap(ids.first ?? nil)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private var selfURL: String { "http://127.0.0.1:\(app.client.port)" }

    private func session(_ role: String) async throws -> TestSession {
        let session = app.session()
        _ = try await session.login("\(role)@acme.test", IdentityFixtures.password)
        return session
    }

    private func breakThePath() async throws {
        let saved = try await admin.post(
            "/features/connectors/\(connectorID)",
            form: [
                ("name", "Self check"), ("config.base_url", selfURL), ("config.health_check_path", "/gone"),
                ("auth.method", "bearer"), ("auth.token", ""), ("row_version", "1"),
            ])
        XCTAssertEqual(saved.status, 303, saved.text)
    }

    func testTheCardTestsInPlaceAndTurnsToErrorOnFailure() async throws {
        let developer = try await session("developer")
        let page = try await developer.get("/features/connectors/installed")
        XCTAssertTrue(page.text.contains("action=\"/features/connectors/\(connectorID)/test\""))
        XCTAssertTrue(page.text.contains("Never tested"))

        let passed = try await developer.post(
            "/features/connectors/\(connectorID)/test", headers: fromInstalled)
        XCTAssertEqual(passed.status, 200)
        XCTAssertTrue(passed.text.hasPrefix("<article class=\"card\" id=\"connector-\(connectorID)\""))
        XCTAssertTrue(passed.text.contains("is-ok"), passed.text)
        XCTAssertTrue(passed.text.contains(#"Passed · "#) && passed.text.contains(" ms"))
        let toast = try JSON(parsing: passed.header("HX-Trigger") ?? "")
        XCTAssertEqual(toast["showToast"]?["level"], "success")
        XCTAssertTrue(
            toast["showToast"]?["message"]?.string?.hasPrefix("Self check passed its test in ") ?? false)

        try await breakThePath()
        let failed = try await developer.post(
            "/features/connectors/\(connectorID)/test", headers: fromInstalled)
        XCTAssertEqual(failed.status, 200)
        XCTAssertTrue(failed.text.contains("badge-error"), "the card turns to error")
        XCTAssertTrue(failed.text.contains("HTTP 404 from 127.0.0.1, expected 200 or 204."))
        XCTAssertTrue(failed.text.contains("hx-swap-oob=\"true\""), "the status counts follow")
        let error = try JSON(parsing: failed.header("HX-Trigger") ?? "")
        XCTAssertEqual(error["showToast"]?["level"], "error")
        XCTAssertFalse(failed.text.contains(secret))
    }

    func testWithoutJavaScriptTheTestRedirectsWithAFlash() async throws {
        let developer = try await session("developer")
        let detailPath = "/features/connectors/installed/\(connectorID)"
        let detail = try await developer.get(detailPath)
        XCTAssertTrue(detail.text.contains("action=\"/features/connectors/\(connectorID)/test\""))
        XCTAssertTrue(detail.text.contains("Never tested"))
        let redirected = try await developer.post(
            "/features/connectors/\(connectorID)/test", form: [("return_to", detailPath)])
        XCTAssertEqual(redirected.status, 303)
        XCTAssertEqual(redirected.header("Location"), detailPath)
        let after = try await developer.get(detailPath)
        XCTAssertTrue(after.text.contains("Self check passed its test in"), "the flash toast")
        XCTAssertTrue(after.text.contains("Passed · "), "the Last test row")
        XCTAssertTrue(after.text.contains("Test passed"), "the history")

        let viewer = try await session("viewer")
        let seen = try await viewer.get(detailPath)
        XCTAssertFalse(seen.text.contains("/test\""), "no Test button for viewers")
        let refused = try await viewer.post("/features/connectors/\(connectorID)/test")
        XCTAssertEqual(refused.status, 403)
        // Right after a developer's, the viewer's Installed panel still has no Test buttons.
        let developerPanel = try await developer.get("/features/connectors/installed")
        XCTAssertTrue(developerPanel.text.contains("/test\""))
        let panel = try await viewer.get("/features/connectors/installed")
        XCTAssertFalse(panel.text.contains("/test\""))
    }

    func testTheFormTestsWhatIsTypedAndSavesNothing() async throws {
        try await breakThePath()
        let before = try await app.fixtures.column(
            "SELECT concat_ws('|', config::text, auth_fields::text, row_version, last_tested_at) FROM connectors"
        )
        let edit = try await admin.get("/features/connectors/\(connectorID)/edit")
        XCTAssertTrue(
            edit.text.contains("formaction=\"/features/connectors/test\""), "the form's Test button")
        let form = [
            ("connector_id", connectorID), ("name", "Self check"), ("config.base_url", selfURL),
            ("config.health_check_path", "/healthz"), ("auth.method", "bearer"), ("auth.token", ""),
            ("row_version", "2"),
        ]
        let fragment = try await admin.post(
            "/features/connectors/test", form: form, headers: [("HX-Request", "true")])
        XCTAssertEqual(fragment.status, 200)
        XCTAssertTrue(fragment.text.contains("data-outcome=\"success\""), fragment.text)
        XCTAssertTrue(fragment.text.contains("Connection works"))
        let page = try await admin.post("/features/connectors/test", form: form)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("<html") && page.text.contains("Connection works"))
        XCTAssertTrue(page.text.contains("value=\"/healthz\""), "the typed values come back")
        let after = try await app.fixtures.column(
            "SELECT concat_ws('|', config::text, auth_fields::text, row_version, last_tested_at) FROM connectors"
        )
        XCTAssertEqual(after, before, "a form test saves nothing")

        let invalid = try await admin.post(
            "/features/connectors/test",
            form: [("catalog_key", "rest"), ("config.base_url", "not a url"), ("auth.method", "none")],
            headers: [("HX-Request", "true")])
        XCTAssertTrue(
            invalid.text.contains("Not tested yet") && invalid.text.contains("Base Url:"), invalid.text)
    }

    func testTheDetailPageSchedulesHealthChecks() async throws {
        let detailPath = "/features/connectors/installed/\(connectorID)"
        let detail = try await admin.get(detailPath)
        XCTAssertTrue(detail.text.contains("Health checks") && detail.text.contains("<option value=\"15\">"))
        let saved = try await admin.post(
            "/features/connectors/\(connectorID)/health-check", form: [("interval_minutes", "15")])
        XCTAssertEqual(saved.status, 303)
        XCTAssertEqual(saved.header("Location"), detailPath)
        let after = try await admin.get(detailPath)
        XCTAssertTrue(after.text.contains("will be checked every 15 minutes"), "the flash")
        XCTAssertTrue(after.text.contains("<option value=\"15\" selected>"))
        XCTAssertTrue(after.text.contains("Health checks scheduled"), "the history")
        let card = try await admin.get("/features/connectors/installed")
        XCTAssertTrue(card.text.contains("Checked every 15 minutes"))
        let developer = try await session("developer")
        let refused = try await developer.post(
            "/features/connectors/\(connectorID)/health-check", form: [("interval_minutes", "")])
        XCTAssertEqual(refused.status, 403)
    }
}
