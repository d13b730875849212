import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The builder as a page and a modal, saving through the same service as the generic form: inline
/// errors on the step that holds the field, values kept, secrets never rendered back.
final class BuilderFormTests: BuilderTestCase {
    func testAddOpensTheBuilderForCustomHTTPAndTheGenericFormOtherwise() async throws {
        let modal = try await browser.get(
            "/features/connectors/new/custom-http", headers: [("HX-Request", "true"), ("HX-Target", "modal")])
        XCTAssertEqual(modal.status, 200)
        XCTAssertTrue(modal.text.hasPrefix("<dialog class=\"modal modal-wide\""), modal.text)
        XCTAssertTrue(modal.text.contains("<form id=\"connector-builder\""))
        for step in ["basics", "request", "auth", "advanced", "mappings"] {
            XCTAssertTrue(modal.text.contains("data-builder-step=\"\(step)\""), step)
        }
        for name in ["config.url", "config.description", "config.headers[][key]", "auth.method", "_sample"] {
            XCTAssertTrue(modal.text.contains("name=\"\(name)\""), name)
        }
        XCTAssertTrue(modal.text.contains("hx-post=\"/features/connectors/builder/try\""))
        XCTAssertTrue(modal.text.contains("data-builder-contact=\"id email first_name"))
        XCTAssertTrue(modal.text.contains("value=\"10000\""), "schema defaults fill a new connector")

        let page = try await browser.get("/features/connectors/new/custom-http")
        XCTAssertTrue(page.text.contains("<html") && page.text.contains("<form id=\"connector-builder\""))
        XCTAssertTrue(page.text.contains("/static/js/builder.js"))
        let generic = try await browser.get("/features/connectors/new/openai")
        XCTAssertFalse(generic.text.contains("data-builder"))
        XCTAssertTrue(generic.text.contains("<form id=\"connector-form\""))
    }

    func testSavingFromTheCatalogInstallsShowsTheInstalledTabAndActivatesWhenEnabled() async throws {
        _ = try await browser.get("/features/connectors/catalog")
        let response = try await browser.post(
            "/features/connectors/builder", form: builderForm([("enabled", "true")]),
            headers: Self.fromCatalog)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.header("HX-Retarget"), "#tab-panel")
        XCTAssertEqual(response.header("HX-Push-Url"), "/features/connectors/installed")
        XCTAssertTrue(response.text.contains("People API") && response.text.contains("badge-active"))
        XCTAssertTrue(response.header("HX-Trigger")?.contains("was added and is active") ?? false)

        let rows = try await app.fixtures.column("SELECT id::text FROM connectors WHERE name = 'People API'")
        let id = try XCTUnwrap(rows.first ?? nil)
        let config = try await storedConfig(id)
        XCTAssertEqual(config["description"], "Looks people up by id.")
        XCTAssertEqual(config["url"]?.string, upstream.url("/people/{{input.id}}"))
        XCTAssertEqual(config["headers"], [["key": "X-Trace", "value": "{{contact.email}}"]])
        XCTAssertEqual(
            config["field_mappings"],
            [["source_path": "$.identities[0].firstName", "target_field": "first_name"]])
        XCTAssertNil(config["steps"])
        let audit = try await app.fixtures.column(
            "SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id", [id])
        XCTAssertEqual(audit, ["connector.installed", "connector.status_changed"])
        let secret = try await app.fixtures.column(
            "SELECT count(*)::text FROM connectors WHERE auth_ciphertext::text LIKE '%tok-builder%'")
        XCTAssertEqual(secret, ["0"], "the token is stored sealed")
    }

    func testAnInvalidSaveComesBackOnTheStepsThatHoldTheProblems() async throws {
        let form = builderForm([
            ("config.url", "not a url"), ("config.retries", "99"), ("auth.token", "tok-typed-then-refused"),
            ("config.field_mappings[][source_path]", "identities"),
        ])
        let response = try await browser.post(
            "/features/connectors/builder", form: form,
            headers: [("HX-Request", "true"), ("HX-Target", "connector-builder")])
        XCTAssertEqual(response.status, 422)
        let text = response.text
        XCTAssertTrue(text.hasPrefix("<form id=\"connector-builder\""), "the form alone, to swap in place")
        XCTAssertTrue(text.contains("class=\"builder-step has-errors\" id=\"builder-step-request\""), text)
        XCTAssertTrue(text.contains("class=\"builder-step has-errors\" id=\"builder-step-advanced\""))
        XCTAssertTrue(text.contains("class=\"builder-step has-errors\" id=\"builder-step-mappings\""))
        XCTAssertTrue(text.contains("class=\"builder-step\" id=\"builder-step-basics\""), "basics are fine")
        XCTAssertTrue(text.contains("Row 1 source path:"), "the mapping row's problem")
        XCTAssertTrue(
            text.contains("value=\"not a url\"") && text.contains("value=\"People API\""), "values kept")
        XCTAssertTrue(text.contains("value=\"identities\""))
        XCTAssertFalse(text.contains("tok-typed-then-refused"), "a typed secret is not sent back")
        let count = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])

        let plain = try await browser.post("/features/connectors/builder", form: form)
        XCTAssertEqual(plain.status, 422)
        XCTAssertTrue(plain.text.contains("<html"), "a full page without JavaScript")
    }

    func testPickingAnotherAuthMethodWithoutJavaScriptShowsItsFieldsAndSavesNothing() async throws {
        let response = try await browser.post(
            "/features/connectors/builder", form: builderForm([("auth.method", "basic"), ("_refresh", "1")]))
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.text.contains("name=\"auth.username\""), "the chosen method's fields")
        XCTAssertTrue(response.text.contains("<form id=\"connector-builder\""))
        XCTAssertFalse(response.text.contains("tok-builder-secret-1"))
        let count = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])
    }

    func testConfigureOpensTheBuilderWithTheSavedSecretHiddenAndKeepsIt() async throws {
        let id = try await installThroughBuilder()
        let modal = try await browser.get(
            "/features/connectors/\(id)/edit", headers: [("HX-Request", "true"), ("HX-Target", "modal")])
        XCTAssertEqual(modal.status, 200)
        XCTAssertTrue(modal.text.contains("<form id=\"connector-builder\""))
        XCTAssertTrue(modal.text.contains("action=\"/features/connectors/\(id)/builder\""))
        XCTAssertTrue(modal.text.contains("hx-post=\"/features/connectors/\(id)/builder/try\""))
        XCTAssertTrue(modal.text.contains("Saved — leave blank to keep"))
        XCTAssertFalse(modal.text.contains("tok-builder-secret-1"), "secrets are never rendered back")
        XCTAssertTrue(modal.text.contains("$.identities[0].firstName"), "the stored mapping")
        let version = try await app.fixtures.column(
            "SELECT row_version::text FROM connectors WHERE id = $1::uuid", [id])

        let save = try await browser.post(
            "/features/connectors/\(id)/builder",
            form: builderForm([
                ("auth.token", ""), ("config.description", "Now with a new description."),
                ("row_version", version.first! ?? ""), ("enabled", "true"),
            ]))
        XCTAssertEqual(save.status, 303, save.text)
        let config = try await storedConfig(id)
        XCTAssertEqual(config["description"], "Now with a new description.")
        let status = try await app.fixtures.column("SELECT status FROM connectors WHERE id = $1::uuid", [id])
        XCTAssertEqual(status, ["active"])
        // The blank token kept the stored one: a try with it still sends it.
        _ = try await browser.post(
            "/features/connectors/\(id)/builder/try", form: builderForm([("auth.token", "")]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(upstream.received.last?.headers["authorization"], "Bearer tok-builder-secret-1")

        let upgrade = try await browser.get("/features/connectors/\(id)/edit?upgrade=1")
        XCTAssertFalse(upgrade.text.contains("data-builder"), "upgrades keep the generic form")
    }

    func testStepsAreSavedFromTheirJSONAndShownBack() async throws {
        let steps = #"[{"name": "lookup", "url": "https://api.example.com/people/{{input.id}}"}]"#
        let id = try await installThroughBuilder([("builder_mode", "steps"), ("_steps_json", steps)])
        let config = try await storedConfig(id)
        XCTAssertEqual(
            config["steps"], [["name": "lookup", "url": "https://api.example.com/people/{{input.id}}"]])
        XCTAssertNil(config["url"], "the single request gives way to the steps")
        XCTAssertNoThrow(try ExecutionPlan(config: config), "what was saved runs")
        let form = try await browser.get("/features/connectors/\(id)/edit")
        XCTAssertTrue(form.text.contains("data-builder-mode-current=\"steps\""))
        XCTAssertTrue(form.text.contains("&quot;name&quot;: &quot;lookup&quot;"), "the steps as JSON")

        let invalid = try await browser.post(
            "/features/connectors/builder",
            form: builderForm([
                ("name", "Broken steps"), ("builder_mode", "steps"), ("_steps_json", #"[{"url": "x"}]"#),
            ]),
            headers: [("HX-Request", "true"), ("HX-Target", "connector-builder")])
        XCTAssertEqual(invalid.status, 422)
        XCTAssertTrue(invalid.text.contains("Step 1"), invalid.text)
        XCTAssertTrue(invalid.text.contains("class=\"builder-step has-errors\" id=\"builder-step-request\""))
    }
}
