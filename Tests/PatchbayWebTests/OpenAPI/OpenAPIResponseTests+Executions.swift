import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// Executions against the document: runs that completed, failed or were queued, their records and
/// history, replays and chains, and the refusals each documents, with custom HTTP connectors calling
/// a local echo server.
extension OpenAPIResponseTests {
    func testExecutionsMatchTheirSchemas() async throws {
        let echo = try await EchoHTTPServer.start()
        addTeardownBlock { await echo.stop() }
        let tenant = try await app.fixtures.tenant("runs", name: "Runs Ltd")
        token = try await app.fixtures.token(in: tenant, role: .owner).secret
        let one = "/api/v1/connectors/{id}"
        let config: JSONObject = [
            "method": "POST", "url": .string(echo.url("/echo/{{input.id | default: 'none'}}")),
            "body_type": "json", "body": #"{"email": "{{contact.email | default: ''}}"}"#, "retries": 0,
            "field_mappings": [["source_path": "$.path", "target_field": "path"]],
        ]
        let connector = try await check(
            "POST", "/api/v1/connectors", 201,
            body: [
                "catalog_key": "custom-http", "name": "Echo", "config": .object(config),
                "auth": ["method": "none"],
            ])
        let id = try XCTUnwrap(connector["id"]?.string)
        try await check(
            "POST", "/api/v1/connectors/\(id)/execute", 409, pattern: one + "/execute", body: [:])
        try await check(
            "POST", "/api/v1/connectors/\(id)/status", 200, pattern: one + "/status",
            body: ["status": "active"])

        let run = try await check(
            "POST", "/api/v1/connectors/\(id)/execute", 200, pattern: one + "/execute",
            body: ["input": ["id": "42"], "contact": ["email": "ada@example.test"]])
        XCTAssertEqual(run["status"], "completed", "\(run)")
        XCTAssertEqual(run["mapped"]?["path"], "/echo/42")
        let queued = try await check(
            "POST", "/api/v1/connectors/\(id)/execute?async=true", 202, pattern: one + "/execute")
        XCTAssertEqual(queued["status"], "pending")
        try await check(
            "POST", "/api/v1/connectors/\(id)/execute", 422, pattern: one + "/execute", body: ["input": 5])

        var closed = config
        closed["url"] = "http://127.0.0.1:1/nowhere"
        let broken = try await check(
            "POST", "/api/v1/connectors", 201,
            body: [
                "catalog_key": "custom-http", "name": "Nowhere", "config": .object(closed),
                "auth": ["method": "none"],
            ])
        let brokenID = try XCTUnwrap(broken["id"]?.string)
        try await check(
            "POST", "/api/v1/connectors/\(brokenID)/status", 200, pattern: one + "/status",
            body: ["status": "active"])
        let failed = try await check(
            "POST", "/api/v1/connectors/\(brokenID)/execute", 200, pattern: one + "/execute", body: [:])
        XCTAssertEqual(failed["status"], "failed")
        XCTAssertEqual(failed["error"]?["kind"], "network")

        let draft = ConnectorFixtures.openAI("Assistant")
        let openAI = try await check(
            "POST", "/api/v1/connectors", 201,
            body: [
                "catalog_key": .string(draft.catalogKey), "name": .string(draft.name),
                "config": .object(draft.config), "auth": .object(draft.auth),
            ])
        let openAIID = try XCTUnwrap(openAI["id"]?.string)
        try await check(
            "POST", "/api/v1/connectors/\(openAIID)/execute", 501, pattern: one + "/execute", body: [:])
        XCTAssertEqual(checked, 11)

        try await checkHistory(of: id, run: run, queued: queued)
        try await checkChains(id, brokenID, openAIID)
    }

    private func checkHistory(of id: String, run: JSON, queued: JSON) async throws {
        let history = try await check(
            "GET", "/api/v1/connectors/\(id)/executions?limit=5", 200,
            pattern: "/api/v1/connectors/{id}/executions")
        XCTAssertEqual(history["items"]?.array?.count, 2)
        try await check(
            "GET", "/api/v1/connectors/\(id)/executions?limit=0", 422,
            pattern: "/api/v1/connectors/{id}/executions")

        let execution = "/api/v1/executions/{execution_id}"
        let runID = try XCTUnwrap(run["execution_id"]?.string)
        let record = try await check("GET", "/api/v1/executions/\(runID)", 200, pattern: execution)
        XCTAssertEqual(record["mapped"]?["path"], "/echo/42")
        XCTAssertEqual(record["input"]?["contact"]?["email"], "ada@example.test")
        // Queued: with no output yet (or already run by the app's worker).
        let queuedID = try XCTUnwrap(queued["execution_id"]?.string)
        try await check("GET", "/api/v1/executions/\(queuedID)", 200, pattern: execution)
        try await check("GET", "/api/v1/executions/\(UUID().uuidString)", 404, pattern: execution)

        let replayed = try await check(
            "POST", "/api/v1/executions/\(runID)/replay", 200, pattern: execution + "/replay")
        XCTAssertEqual(replayed["status"], "completed")
        try await check(
            "POST", "/api/v1/executions/\(runID)/replay?async=maybe", 422, pattern: execution + "/replay")
        XCTAssertEqual(checked, 18)
    }

    private func checkChains(_ id: String, _ brokenID: String, _ openAIID: String) async throws {
        let chain = try await check(
            "POST", "/api/v1/chains/run", 200,
            body: ["connectors": [.string(id), .string(id)], "contact": ["email": "ada@example.test"]])
        XCTAssertEqual(chain["status"], "completed", "\(chain)")
        XCTAssertEqual(chain["steps"]?.array?.count, 2)
        let stopped = try await check(
            "POST", "/api/v1/chains/run", 200, body: ["connectors": [.string(brokenID), .string(id)]])
        XCTAssertEqual(stopped["status"], "failed")
        XCTAssertEqual(stopped["skipped"], ["Echo"])
        try await check("POST", "/api/v1/chains/run", 422, body: ["connectors": []])
        try await check(
            "POST", "/api/v1/chains/run", 404, body: ["connectors": [.string(UUID().uuidString)]])
        try await check("POST", "/api/v1/chains/run", 501, body: ["connectors": [.string(openAIID)]])
        XCTAssertEqual(checked, 23)
    }
}
