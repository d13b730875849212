import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The "Attached agents" panel of the connector detail page, as the HTMX client and a plain browser
/// use its forms.
final class AttachmentPagesTests: XCTestCase {
    private var app: TestApp!
    private var browser: TestSession!
    private var acme: Tenant!
    private var connectorID: String!
    private var owner: User!
    private let password = ConnectorFixtures.sentinel()
    private let htmx = [("HX-Request", "true"), ("HX-Target", "attachments")]

    override func setUp() async throws {
        app = try await TestApp.start()
        try await ConnectorFixtures.seed(app.app.catalog)
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        owner = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner)
        _ = try await app.fixtures.member("dev@acme.test", of: acme, role: .developer)
        let connector = try await app.app.connectors.install(
            ConnectorFixtures.postgres("Reporting DB", password: password),
            try await app.fixtures.identity(owner, in: acme), request: .commandLine)
        connectorID = connector.id.uuidString.lowercased()
        browser = app.session()
        _ = try await browser.login("dev@acme.test", IdentityFixtures.password)
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    private var detailPath: String { "/features/connectors/installed/\(connectorID!)" }
    private var attachPath: String { "/features/connectors/\(connectorID!)/attachments" }

    func testTheDetailPageShowsThePanelAndTheFormToDevelopers() async throws {
        let page = try await browser.get(detailPath)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("Attached agents"))
        XCTAssertTrue(page.text.contains("No agent is attached to this connector."))
        XCTAssertTrue(page.text.contains("id=\"attach-form\""))
        XCTAssertTrue(page.text.contains("/static/css/attachments.css"))

        _ = try await app.fixtures.member("viewer@acme.test", of: acme, role: .viewer)
        let viewer = app.session()
        _ = try await viewer.login("viewer@acme.test", IdentityFixtures.password)
        let seen = try await viewer.get(detailPath)
        XCTAssertTrue(seen.text.contains("Attached agents"))
        XCTAssertFalse(seen.text.contains("id=\"attach-form\""), "viewers see the list only")
        let refused = try await viewer.post(attachPath, form: [("agent_id", "bot"), ("alias", "db")])
        XCTAssertEqual(refused.status, 403)
    }

    func testAttachAndDetachWithoutJavaScript() async throws {
        let attached = try await browser.post(
            attachPath,
            form: [
                ("agent_id", "support-bot"), ("alias", "reports"),
                ("config_override", #"{"database": "reports"}"#),
            ])
        XCTAssertEqual(attached.status, 303)
        XCTAssertEqual(attached.header("Location"), detailPath)
        let page = try await browser.get(detailPath)
        XCTAssertTrue(
            page.text.contains("Reporting DB is attached to agent support-bot as “reports”."), "flash")
        XCTAssertTrue(page.text.contains("<code class=\"code\">support-bot</code>"))
        XCTAssertTrue(page.text.contains("{&quot;database&quot;:&quot;reports&quot;}"))
        XCTAssertTrue(page.text.contains("Attached to agent support-bot"), "the history shows it")
        XCTAssertFalse(page.text.contains(password))

        let instances = try await app.fixtures.column("SELECT id::text FROM connector_attachments")
        let instance = try XCTUnwrap(instances.first ?? nil)
        let detached = try await browser.post("\(attachPath)/\(instance)/detach")
        XCTAssertEqual(detached.status, 303)
        let after = try await browser.get(detailPath)
        XCTAssertTrue(after.text.contains("No agent is attached to this connector."))
        XCTAssertTrue(after.text.contains("was detached from agent support-bot"))
    }

    func testRefusedFormsShowInlineErrorsWithAndWithoutJavaScript() async throws {
        let typed = ConnectorFixtures.sentinel()
        let form = [
            ("agent_id", "bad agent"), ("alias", "reports"),
            ("config_override", #"{"password": "\#(typed)", "database": "reports"}"#),
        ]
        let page = try await browser.post(attachPath, form: form)
        XCTAssertEqual(page.status, 422)
        XCTAssertTrue(page.text.contains("<html"), "the whole page again")
        XCTAssertTrue(
            page.text.contains("must be 1 to 128 letters, digits, dots, underscores, colons or dashes"))
        XCTAssertTrue(page.text.contains("password: is a credential"))
        XCTAssertTrue(page.text.contains("value=\"bad agent\""), "what was typed stays")
        XCTAssertTrue(page.text.contains("{&quot;database&quot;:&quot;reports&quot;}"), "the settings stay")
        XCTAssertFalse(page.text.contains(typed), "a credential typed into the override is not shown again")

        let fragment = try await browser.post(attachPath, form: form, headers: htmx)
        XCTAssertEqual(fragment.status, 422)
        XCTAssertTrue(fragment.text.hasPrefix("<section"), "only the panel")
        XCTAssertTrue(fragment.text.contains("aria-invalid=\"true\""))
        XCTAssertFalse(fragment.text.contains(typed))

        let notJSON = try await browser.post(
            attachPath, form: [("agent_id", "bot"), ("alias", "db"), ("config_override", "database=x")],
            headers: htmx)
        XCTAssertEqual(notJSON.status, 422)
        XCTAssertTrue(notJSON.text.contains("must be a JSON object of settings"))

        let first = try await browser.post(
            attachPath, form: [("agent_id", "bot"), ("alias", "db")], headers: htmx)
        XCTAssertEqual(first.status, 200)
        XCTAssertTrue(first.header("HX-Trigger")?.contains("showToast") == true)
        XCTAssertTrue(first.text.contains("data-testid=\"attachment-row\""))
        let taken = try await browser.post(
            attachPath, form: [("agent_id", "bot"), ("alias", "DB")], headers: htmx)
        XCTAssertEqual(taken.status, 409)
        XCTAssertEqual(taken.header("HX-Reswap"), "outerHTML", "the client swaps the conflict in")
        XCTAssertTrue(taken.text.contains("is already used by this agent (aliases ignore case)"))
    }

    func testDetachingThroughAnotherConnectorsAddressIsNotFound() async throws {
        let second = try await app.app.connectors.install(
            ConnectorFixtures.openAI("Assistant"), try await app.fixtures.identity(owner, in: acme),
            request: .commandLine)
        _ = try await browser.post(attachPath, form: [("agent_id", "bot"), ("alias", "db")], headers: htmx)
        let instances = try await app.fixtures.column("SELECT id::text FROM connector_attachments")
        let instance = try XCTUnwrap(instances.first ?? nil)
        let elsewhere =
            "/features/connectors/\(second.id.uuidString.lowercased())/attachments/\(instance)/detach"
        let observed1 = try await browser.post(elsewhere, headers: htmx).status
        XCTAssertEqual(observed1, 404)
        let detached = try await browser.post("\(attachPath)/\(instance)/detach", headers: htmx)
        XCTAssertEqual(detached.status, 200)
        XCTAssertTrue(detached.text.contains("No agent is attached to this connector."))
    }

    func testTheTokensPageBindsATokenToAnAgent() async throws {
        let admin = app.session()
        _ = try await admin.login("owner@acme.test", IdentityFixtures.password)
        let refused = try await admin.post(
            "/settings/tokens", form: [("name", "agent"), ("role", "developer"), ("agent_id", "support-bot")])
        XCTAssertEqual(refused.status, 422)
        XCTAssertTrue(refused.text.contains("must be viewer for a token bound to an agent"))
        XCTAssertTrue(refused.text.contains("value=\"support-bot\""), "the agent id stays in the form")
        let created = try await admin.post(
            "/settings/tokens", form: [("name", "agent"), ("role", "viewer"), ("agent_id", "support-bot")])
        XCTAssertEqual(created.status, 201)
        XCTAssertTrue(created.text.contains("agent <code class=\"code\">support-bot</code>"))
        let stored = try await app.fixtures.column("SELECT agent_id FROM api_tokens WHERE name = 'agent'")
        XCTAssertEqual(stored, ["support-bot"])
    }
}
