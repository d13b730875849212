import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// `POST /api/v1/chains/run`: three connectors in order, each reading what the earlier ones mapped
/// into the contact; a failing link stops the chain; every link is recorded in its own History.
final class ChainAPITests: ExecutionWebTestCase {
    private var enrich = ""
    private var verify = ""
    private var score = ""

    override func setUp() async throws {
        try await super.setUp()
        echo.reply(
            "/enrich", .init(json: #"{"person": {"first_name": "Ada", "company": "Analytical Engines"}}"#))
        enrich = try await install(
            "Enrich",
            config: [
                "method": "GET", "url": .string(echo.url("/enrich")),
                "query_params": [["key": "email", "value": "{{contact.email}}"]],
                "field_mappings": [
                    ["source_path": "$.person.first_name", "target_field": "firstname"],
                    ["source_path": "$.person.company", "target_field": "company"],
                ],
            ])
        verify = try await install(
            "Verify",
            config: [
                "method": "POST", "url": .string(echo.url("/verify/{{contact.firstname}}")),
                "body_type": "json",
                "body": #"{"company": "{{contact.company}}", "email": "{{contact.email}}"}"#,
                "field_mappings": [["source_path": "$.path", "target_field": "verified_path"]],
            ])
        score = try await install(
            "Score",
            config: [
                "method": "GET", "url": .string(echo.url("/score")),
                "query_params": [["key": "name", "value": "{{contact.firstname}}"]],
                "field_mappings": [["source_path": "$.query.name", "target_field": "scored_name"]],
            ])
    }

    func testEachConnectorSeesWhatTheEarlierOnesMapped() async throws {
        let response = try await call(
            developer, "POST", "/api/v1/chains/run",
            [
                "connectors": [.string(enrich), .string(verify), .string(score)],
                "contact": ["email": "ada@example.com"], "workspace": ["plan": "pro"],
            ])
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(body["status"], "completed")
        let contact = body["contact"]
        XCTAssertEqual(contact?["email"], "ada@example.com")
        XCTAssertEqual(contact?["firstname"], "Ada")
        XCTAssertEqual(contact?["company"], "Analytical Engines")
        XCTAssertEqual(contact?["verified_path"], "/verify/Ada", "the second link used the first's mapping")
        XCTAssertEqual(contact?["scored_name"], "Ada")
        let steps = body["steps"]?.array ?? []
        XCTAssertEqual(steps.map { $0["connector_id"]?.string }, [enrich, verify, score])
        XCTAssertEqual(steps.map { $0["name"]?.string }, ["Enrich", "Verify", "Score"])
        XCTAssertTrue(steps.allSatisfy { $0["status"] == "completed" && $0["execution_id"]?.string != nil })

        XCTAssertEqual(echo.received("/enrich").first?.target, "/enrich?email=ada%40example.com")
        XCTAssertEqual(
            echo.received("/verify/Ada").first?.body,
            #"{"company":"Analytical Engines","email":"ada@example.com"}"#)
        // Each link is in its own connector's History, with the contact it saw.
        let verifyRuns = try await call(viewer, "GET", "/api/v1/connectors/\(verify)/executions").json()
        let verifyItems = verifyRuns["items"]?.array ?? []
        XCTAssertEqual(verifyItems.count, 1)
        XCTAssertEqual(verifyItems.first?["id"], steps[1]["execution_id"])
        let record = try await call(
            viewer, "GET", "/api/v1/executions/\(steps[1]["execution_id"]?.string ?? "")"
        ).json()
        XCTAssertEqual(record["input"]?["contact"]?["firstname"], "Ada")
        XCTAssertEqual(record["input"]?["workspace"]?["plan"], "pro")
    }

    func testAFailingLinkStopsTheChain() async throws {
        echo.reply("/verify/Ada", .init(status: 500, json: #"{"error": "busy"}"#))
        let response = try await call(
            developer, "POST", "/api/v1/chains/run",
            [
                "connectors": [.string(enrich), .string(verify), .string(score)],
                "contact": ["email": "a@b.c"],
            ])
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(body["status"], "failed")
        XCTAssertEqual(body["error"]?["step"], "Verify")
        XCTAssertEqual(body["skipped"], ["Score"])
        XCTAssertEqual(body["steps"]?.array?.count, 2)
        XCTAssertEqual(body["contact"]?["firstname"], "Ada", "the contact as the completed links left it")
        XCTAssertTrue(echo.received("/score").isEmpty)
        let scoreRuns = try await call(viewer, "GET", "/api/v1/connectors/\(score)/executions").json()
        XCTAssertEqual(scoreRuns["items"], [])
    }

    func testEveryLinkIsCheckedBeforeAnyRuns() async throws {
        let asleep = try await installEcho("Asleep", activate: false)
        let response = try await call(
            developer, "POST", "/api/v1/chains/run", ["connectors": [.string(enrich), .string(asleep)]])
        XCTAssertEqual(response.status, 409, response.text)
        XCTAssertNotNil(try response.json()["error"]?["fields"]?["connectors[1]"])
        XCTAssertTrue(echo.received.isEmpty)
        let recorded = try await rawExecutionRows().count
        XCTAssertEqual(recorded, 0)
    }
}
