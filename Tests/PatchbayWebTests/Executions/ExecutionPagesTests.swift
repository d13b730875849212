import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The Run history panel and the Run form of the connector detail page, as the HTMX client and a
/// plain browser use them.
final class ExecutionPagesTests: ExecutionWebTestCase {
    private var browser: TestSession!
    private var connector = ""
    private var page: String { "/features/connectors/installed/\(connector)" }
    private let htmx = [("HX-Request", "true"), ("HX-Target", "executions")]

    override func setUp() async throws {
        try await super.setUp()
        connector = try await installEcho("Echo")
        _ = try await app.fixtures.member("dev@acme.test", of: acme, role: .developer, name: "Dana Dev")
        _ = try await app.fixtures.member("viewer@acme.test", of: acme, role: .viewer)
        browser = app.session()
        _ = try await browser.login("dev@acme.test", IdentityFixtures.password)
    }

    func testTheRunFormRecordsARunAndTheHistoryShowsIt() async throws {
        let empty = try await browser.get(page)
        XCTAssertEqual(empty.status, 200)
        XCTAssertTrue(empty.text.contains("action=\"/features/connectors/\(connector)/execute\""))
        XCTAssertTrue(empty.text.contains("No runs yet."))

        let posted = try await browser.post(
            "/features/connectors/\(connector)/execute",
            form: [("input", #"{"id": 5}"#), ("contact", #"{"email": "ada@example.com"}"#)])
        XCTAssertEqual(posted.status, 303, "without JavaScript: back to the page")
        let location = try XCTUnwrap(posted.header("Location"))
        let executionID = try await onlyExecutionID()
        XCTAssertEqual(location, "\(page)?execution=\(executionID)#executions")
        let shown = try await browser.get(String(location.prefix { $0 != "#" }))
        XCTAssertTrue(shown.text.contains("<details open>"), "the new run is expanded")
        XCTAssertTrue(shown.text.contains("HTTP 200"))
        XCTAssertTrue(shown.text.contains("Completed"))
        XCTAssertTrue(shown.text.contains("Dana Dev"))
        XCTAssertTrue(shown.text.contains("&quot;/echo/5&quot;"), "the mapped fields")
        XCTAssertTrue(shown.text.contains("The run completed"), "the flash toast")
        XCTAssertEqual(echo.received("/echo/5").count, 1)
    }

    func testFromTheHTMXClientThePanelIsSwappedInPlace() async throws {
        let posted = try await browser.post(
            "/features/connectors/\(connector)/execute", form: [("input", #"{"id": 6}"#), ("contact", "")],
            headers: htmx)
        XCTAssertEqual(posted.status, 200, posted.text)
        XCTAssertFalse(posted.text.contains("<html"), "the panel alone")
        XCTAssertTrue(posted.text.contains("Run history"))
        XCTAssertTrue(posted.text.contains("<details open>"))
        XCTAssertTrue(posted.text.contains(">{&quot;id&quot;: 6}</textarea>"), "the form keeps what was run")
        let trigger = try XCTUnwrap(posted.header("HX-Trigger"))
        XCTAssertTrue(trigger.contains("The run completed") && trigger.contains("success"), trigger)

        let executionID = try await onlyExecutionID()
        let replayed = try await browser.post("/features/executions/\(executionID)/replay", headers: htmx)
        XCTAssertEqual(replayed.status, 200, replayed.text)
        XCTAssertEqual(replayed.text.components(separatedBy: "class=\"execution execution-").count - 1, 2)
        XCTAssertTrue(replayed.text.contains("replay"))
        XCTAssertEqual(echo.received("/echo/6").count, 2)
    }

    func testInvalidJSONIsShownOnTheFormWithTheTextKept() async throws {
        let fragment = try await browser.post(
            "/features/connectors/\(connector)/execute", form: [("input", "{oops"), ("contact", "[1]")],
            headers: htmx)
        XCTAssertEqual(fragment.status, 422)
        XCTAssertTrue(fragment.text.contains("is not valid JSON"))
        XCTAssertTrue(fragment.text.contains("must be a JSON object"))
        XCTAssertTrue(fragment.text.contains(">{oops</textarea>"), "what was typed is kept")
        XCTAssertTrue(fragment.text.contains("aria-invalid=\"true\""))
        let page = try await browser.post(
            "/features/connectors/\(connector)/execute", form: [("input", "{oops")])
        XCTAssertEqual(page.status, 422)
        XCTAssertTrue(page.text.contains("<html") && page.text.contains("is not valid JSON"))
        XCTAssertTrue(echo.received.isEmpty)
        let recorded = try await rawExecutionRows().count
        XCTAssertEqual(recorded, 0)
    }

    func testOlderRunsArePaged() async throws {
        for number in 1...12 {
            _ = try await execute(developer, connector, ["input": ["id": .int(Int64(number))]])
        }
        let first = try await browser.get(page)
        XCTAssertEqual(first.text.components(separatedBy: "class=\"execution execution-").count - 1, 10)
        XCTAssertTrue(first.text.contains("/echo/12") && !first.text.contains("/echo/2&"))
        let older = try XCTUnwrap(
            first.text.range(of: "href=\"\(page)?before=").map { range in
                String(first.text[range.lowerBound...].dropFirst(6).prefix { $0 != "#" && $0 != "\"" })
            })
        let fragment = try await browser.get(older, headers: htmx)
        XCTAssertEqual(fragment.status, 200)
        XCTAssertFalse(fragment.text.contains("<html"))
        XCTAssertEqual(fragment.text.components(separatedBy: "class=\"execution execution-").count - 1, 2)
        XCTAssertTrue(fragment.text.contains("Latest runs"))
        XCTAssertFalse(fragment.text.contains(">Older<"))
    }

    func testViewersSeeTheHistoryButCannotRun() async throws {
        _ = try await execute(developer, connector, ["input": ["id": 3]])
        let viewer = app.session()
        _ = try await viewer.login("viewer@acme.test", IdentityFixtures.password)
        let seen = try await viewer.get(page)
        XCTAssertEqual(seen.status, 200)
        XCTAssertTrue(seen.text.contains("HTTP 200"))
        XCTAssertFalse(seen.text.contains("/execute\""), "no Run form")
        XCTAssertFalse(seen.text.contains(">Replay<"))
        let refused = try await viewer.post(
            "/features/connectors/\(connector)/execute", form: [("input", "{}")])
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(echo.received.count, 1)
    }

    func testAnInactiveConnectorOffersNoRunForm() async throws {
        let asleep = try await installEcho("Asleep", activate: false)
        let seen = try await browser.get("/features/connectors/installed/\(asleep)")
        XCTAssertFalse(seen.text.contains("/execute\""))
        XCTAssertTrue(seen.text.contains("Activate this connector to run it."))
        let refused = try await browser.post(
            "/features/connectors/\(asleep)/execute", form: [("input", "{}")])
        XCTAssertEqual(refused.status, 409)
    }

    private func onlyExecutionID() async throws -> String {
        let ids = try await app.fixtures.column("SELECT id::text FROM connector_executions")
        XCTAssertEqual(ids.count, 1)
        return try XCTUnwrap(ids.first ?? nil)
    }
}
