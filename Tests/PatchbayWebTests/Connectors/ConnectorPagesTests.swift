import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The Installed tab, the forms and the card actions as the HTMX client and a plain browser use them.
final class ConnectorPagesTests: XCTestCase {
    private var app: TestApp!
    private var browser: TestSession!
    private let fromInstalled = [
        ("HX-Request", "true"), ("HX-Current-URL", "http://127.0.0.1/features/connectors/installed"),
    ]

    override func setUp() async throws {
        app = try await TestApp.start()
        try await ConnectorFixtures.seed(app.app.catalog)
        let acme = try await app.fixtures.tenant("acme", name: "Acme")
        _ = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner, name: "Olive Owner")
        _ = try await app.fixtures.member("viewer@acme.test", of: acme, role: .viewer)
        browser = app.session()
        _ = try await browser.login("owner@acme.test", IdentityFixtures.password)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private let openAI = [
        ("catalog_key", "openai"), ("name", "Main AI"), ("tags", "prod, ai"),
        ("config.base_url", "https://api.openai.com/v1"),
        ("config.default_model", "gpt-4o"), ("auth.api_key", "sk-" + String(repeating: "x", count: 30)),
    ]

    private func install() async throws -> String {
        let response = try await browser.post("/features/connectors", form: openAI)
        XCTAssertEqual(response.status, 303)
        let rows = try await app.fixtures.column("SELECT id::text FROM connectors WHERE name = 'Main AI'")
        return try XCTUnwrap(rows.first ?? nil)
    }

    func testTheInstallFormOpensAsAModalOrAPage() async throws {
        let modal = try await browser.get(
            "/features/connectors/new/openai", headers: [("HX-Request", "true"), ("HX-Target", "modal")])
        XCTAssertEqual(modal.status, 200)
        XCTAssertTrue(modal.text.hasPrefix("<dialog"), "the modal fragment alone")
        XCTAssertTrue(modal.text.contains("name=\"config.default_model\""))
        XCTAssertTrue(modal.text.contains("value=\"https://api.openai.com/v1\""), "defaults are filled in")
        let page = try await browser.get("/features/connectors/new/openai")
        XCTAssertTrue(page.text.contains("<html") && page.text.contains("Add OpenAI"))
        let catalog = try await browser.get("/features/connectors/catalog?q=openai")
        XCTAssertTrue(
            catalog.text.contains("href=\"/features/connectors/new/openai\""), "the catalog card's Add button"
        )
        let viewer = app.session()
        _ = try await viewer.login("viewer@acme.test", IdentityFixtures.password)
        let refused = try await viewer.get("/features/connectors/new/openai")
        XCTAssertEqual(refused.status, 403)
    }

    func testTheSpareEmptyRowOfAListIsNotRequiredByTheBrowser() async throws {
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["rest"])
        let form = try await browser.get("/features/connectors/new/rest")
        XCTAssertEqual(form.status, 200)
        // Every control of the header rows (inputs, and text areas for long values).
        let tags = form.text.components(separatedBy: "<").map { $0.prefix { $0 != ">" } }
        let rowInputs = tags.filter {
            ($0.hasPrefix("input") || $0.hasPrefix("textarea"))
                && $0.contains("name=\"config.default_headers[")
        }
        XCTAssertFalse(rowInputs.isEmpty, "the header rows are in the form")
        for tag in rowInputs {
            XCTAssertFalse(tag.contains(" required"), "an empty row must not block saving: \(tag)")
        }
        // Posted as the browser would, the spare row empty: saved, with no headers.
        let saved = try await browser.post(
            "/features/connectors",
            form: [
                ("catalog_key", "rest"), ("name", "Plain REST"),
                ("config.base_url", "https://api.example.com"),
                ("auth.method", "none"),
                ("config.default_headers[0].key", ""), ("config.default_headers[0].value", ""),
            ])
        XCTAssertEqual(saved.status, 303, saved.text)
        let headers = try await app.fixtures.column(
            "SELECT coalesce(config->'default_headers', '[]'::jsonb)::text FROM connectors WHERE name = 'Plain REST'"
        )
        XCTAssertEqual(headers, ["[]"])
    }

    func testAnInvalidInstallComesBackWithInlineErrorsAndTheValuesKept() async throws {
        var form = openAI
        form[4] = ("config.default_model", "")
        form[5] = ("auth.api_key", "not-a-key")
        let htmx = try await browser.post(
            "/features/connectors", form: form,
            headers: [("HX-Request", "true"), ("HX-Target", "connector-form")])
        XCTAssertEqual(htmx.status, 422)
        XCTAssertTrue(htmx.text.hasPrefix("<form id=\"connector-form\""), "the form alone, to swap in place")
        XCTAssertTrue(htmx.text.contains("aria-invalid=\"true\""))
        XCTAssertTrue(htmx.text.contains("value=\"Main AI\""), "values are kept")
        XCTAssertFalse(htmx.text.contains("not-a-key"), "secrets are not")
        let plain = try await browser.post("/features/connectors", form: form)
        XCTAssertEqual(plain.status, 422)
        XCTAssertTrue(plain.text.contains("<html"), "a full page without JavaScript")
        let count = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])
    }

    func testASuccessfulInstallSwapsInTheInstalledPanelWithAToast() async throws {
        let response = try await browser.post(
            "/features/connectors", form: openAI,
            headers: [
                ("HX-Request", "true"), ("HX-Current-URL", "http://127.0.0.1/features/connectors/catalog"),
            ])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("HX-Retarget"), "#tab-panel")
        XCTAssertEqual(response.header("HX-Push-Url"), "/features/connectors/installed")
        let trigger = try JSON(parsing: response.header("HX-Trigger") ?? "")
        XCTAssertEqual(trigger["closeModal"], true)
        XCTAssertEqual(trigger["showToast"]?["level"], "success")
        XCTAssertTrue(response.text.contains("id=\"installed-panel\"") && response.text.contains("Main AI"))
        let duplicate = try await browser.post(
            "/features/connectors", form: openAI, headers: [("HX-Request", "true")])
        XCTAssertEqual(duplicate.status, 409)
        XCTAssertEqual(duplicate.header("HX-Reswap"), "outerHTML")
        XCTAssertTrue(duplicate.text.contains("is already used by another connector"))
    }

    func testTheLiveCheckAnswersWithOneField() async throws {
        _ = try await install()
        var form = openAI
        form[1] = ("name", "main ai")
        let name = try await browser.post(
            "/features/connectors/validate-field", form: form + [("_field", "name")],
            headers: [("HX-Request", "true")])
        XCTAssertEqual(name.status, 200)
        XCTAssertTrue(
            name.text.hasPrefix("<div class=\"field field-text has-error\" id=\"f-name-field\""), name.text)
        XCTAssertTrue(name.text.contains("is already used by another connector"))
        form[1] = ("name", "Second AI")
        form[4] = ("config.default_model", "gpt-4o")
        let model = try await browser.post(
            "/features/connectors/validate-field", form: form + [("_field", "config.default_model")],
            headers: [("HX-Request", "true")])
        XCTAssertFalse(model.text.contains("has-error"), "a valid field shows no error")
        XCTAssertFalse(model.text.contains("f-name-field"), "and only itself")
    }

    func testCardActionsSwapTheCardAndWorkWithoutJavaScript() async throws {
        let id = try await install()
        let activated = try await browser.post("/features/connectors/\(id)/activate", headers: fromInstalled)
        XCTAssertEqual(activated.status, 200)
        XCTAssertTrue(activated.text.hasPrefix("<article class=\"card\" id=\"connector-\(id)\""))
        XCTAssertTrue(activated.text.contains("badge-active") && activated.text.contains(">Deactivate<"))
        XCTAssertTrue(activated.header("HX-Trigger")?.contains("is active") ?? false)
        XCTAssertTrue(
            activated.text.contains("hx-swap-oob=\"true\"")
                && activated.text.contains("Active <span class=\"chip-count\">1<"),
            "the status counts follow, out of band")
        let plain = try await browser.post("/features/connectors/\(id)/deactivate")
        XCTAssertEqual(plain.status, 303)
        XCTAssertEqual(plain.header("Location"), "/features/connectors/installed")
        let page = try await browser.get("/features/connectors/installed")
        XCTAssertTrue(page.text.contains("was deactivated"), "the flash toast after the redirect")
        XCTAssertTrue(page.text.contains("badge-inactive"))

        let confirm = try await browser.post("/features/connectors/\(id)/delete")
        XCTAssertEqual(confirm.status, 200)
        XCTAssertTrue(confirm.text.contains("Delete “Main AI”?"), "without JavaScript, a page asks first")
        let deleted = try await browser.post(
            "/features/connectors/\(id)/delete", form: [("confirm", "yes")], headers: fromInstalled)
        XCTAssertEqual(deleted.status, 200)
        XCTAssertFalse(deleted.text.contains("<article"), "the card removes itself")
        XCTAssertTrue(
            deleted.text.contains("id=\"installed-statuses\" aria-label=\"Status\" hx-swap-oob=\"true\""))
        let trigger = try JSON(parsing: deleted.header("HX-Trigger") ?? "")
        XCTAssertEqual(trigger["connectorsChanged"], true, "the emptied list reloads into its empty state")
        let empty = try await browser.get(
            "/features/connectors/installed", headers: [("HX-Request", "true"), ("HX-Target", "tab-panel")])
        XCTAssertTrue(empty.text.contains("No connectors yet"))
    }

    func testEditingKeepsABlankSecretAndShowsItAsSaved() async throws {
        let id = try await install()
        let before = try await app.fixtures.column("SELECT auth_fields::text FROM connectors")
        let editForm = try await browser.get("/features/connectors/\(id)/edit")
        XCTAssertTrue(editForm.text.contains("Saved — leave blank to keep"))
        XCTAssertTrue(editForm.text.contains("hmac-sha256:"))
        let saved = try await browser.post(
            "/features/connectors/\(id)",
            form: [
                ("name", "Renamed AI"), ("tags", "prod"), ("config.base_url", "https://api.openai.com/v1"),
                ("config.default_model", "gpt-4.1"), ("auth.api_key", ""), ("row_version", "1"),
            ], headers: fromInstalled)
        XCTAssertEqual(saved.status, 200)
        XCTAssertEqual(saved.header("HX-Retarget"), "#connector-\(id)")
        XCTAssertTrue(saved.text.contains("Renamed AI"))
        let after = try await app.fixtures.column("SELECT auth_fields::text FROM connectors")
        XCTAssertEqual(before, after, "the secret, its fingerprint and its date are untouched")
        let stale = try await browser.post(
            "/features/connectors/\(id)",
            form: [
                ("name", "Again"), ("config.default_model", "x"), ("config.base_url", "https://a.example"),
                ("row_version", "1"),
            ])
        XCTAssertEqual(stale.status, 409)
        XCTAssertTrue(stale.text.contains("changed by Olive Owner"), "who changed it, and when")
        let detail = try await browser.get("/features/connectors/installed/\(id)")
        XCTAssertTrue(detail.text.contains("Renamed AI") && detail.text.contains("Changed"))
        XCTAssertTrue(detail.text.contains("hmac-sha256:"))
    }

    func testPickingAnotherAuthMethodShowsItsFields() async throws {
        let github = [
            ("catalog_key", "github"), ("name", "GitHub"), ("config.api_base_url", "https://api.github.com"),
            ("auth.method", "oauth"), ("auth.access_token", "ghp_secret_value_typed_before"),
        ]
        let live = try await browser.post(
            "/features/connectors/validate-field", form: github + [("_field", "auth.method")],
            headers: [("HX-Request", "true")])
        XCTAssertEqual(live.status, 200)
        XCTAssertTrue(
            live.text.hasPrefix("<fieldset class=\"fieldset fieldset-plain\""), "the whole method group")
        XCTAssertTrue(live.text.contains("name=\"auth.client_id\""), "with the OAuth fields")
        XCTAssertFalse(live.text.contains("ghp_secret_value_typed_before"))

        let refreshed = try await browser.post("/features/connectors", form: github + [("_refresh", "1")])
        XCTAssertEqual(refreshed.status, 200, "without JavaScript the form comes back for the new method")
        XCTAssertTrue(refreshed.text.contains("name=\"auth.client_secret\""))
        XCTAssertFalse(refreshed.text.contains("has-error"), "and without complaints")
        let count = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"], "nothing was saved")
    }

    func testAnUpgradeGoesThroughTheFormAgainstTheNewVersion() async throws {
        let id = try await install()
        let seeds = try TemporarySeeds.copy(keys: ["openai"])
        defer { seeds.remove() }
        try seeds.setVersion("openai", to: "1.1.0")
        _ = try await app.app.catalog.syncPlatform(from: seeds.path)
        let card = try await browser.get("/features/connectors/installed")
        XCTAssertTrue(card.text.contains("Upgrade available: v1.1.0"))
        let form = try await browser.get("/features/connectors/\(id)/edit?upgrade=1")
        XCTAssertTrue(form.text.contains("Upgrade Main AI to 1.1.0"))
        XCTAssertTrue(form.text.contains("name=\"upgrade\" value=\"1\""))
        let saved = try await browser.post(
            "/features/connectors/\(id)",
            form: [
                ("name", "Main AI"), ("config.base_url", "https://api.openai.com/v1"),
                ("config.default_model", "gpt-4o"), ("upgrade", "1"), ("row_version", "1"),
            ])
        XCTAssertEqual(saved.status, 303)
        let detail = try await browser.get("/features/connectors/installed/\(id)")
        XCTAssertTrue(detail.text.contains("version 1.1.0"))
        XCTAssertTrue(detail.text.contains("Upgraded from 1.0.0 to 1.1.0"))
        XCTAssertFalse(detail.text.contains("Upgrade available"))
    }
}
