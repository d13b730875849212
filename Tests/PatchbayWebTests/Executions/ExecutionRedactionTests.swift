import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// A bearer token and an API key sent as a query parameter reach the server (which echoes both back)
/// but never appear in a stored execution row, an API answer or the Run history panel: not after a
/// run, a queued run, a replay or a chain, and not when a caller pastes one into the input.
final class ExecutionRedactionTests: ExecutionWebTestCase {
    func testCredentialsNeverLeaveTheVault() async throws {
        let token = "tok-SENTINEL-" + UUID().uuidString
        let apiKey = "key-SENTINEL-" + UUID().uuidString
        let bearer = try await installEcho("Bearer", auth: ["method": "bearer", "token": .string(token)])
        let keyed = try await install(
            "Keyed",
            config: [
                "method": "GET", "url": .string(echo.url("/keyed")),
                "field_mappings": [["source_path": "$.query.api_key", "target_field": "echoed_key"]],
            ],
            auth: ["method": "api_key", "name": "api_key", "location": "query", "value": .string(apiKey)])

        var answers: [TestResponse] = []
        answers.append(
            try await execute(
                developer, bearer, ["input": ["id": 1], "contact": ["email": .string("pasted \(token)")]]))
        answers.append(try await execute(developer, keyed, ["input": ["id": 2]]))
        answers.append(try await execute(developer, keyed, [:], query: "?async=true"))
        let chain = try await call(
            developer, "POST", "/api/v1/chains/run",
            ["connectors": [.string(bearer), .string(keyed)], "contact": ["email": "ada@example.com"]])
        answers.append(chain)
        XCTAssertEqual(try chain.json()["status"], "completed", chain.text)
        let firstID = try XCTUnwrap(try answers[0].json()["execution_id"]?.string)
        answers.append(try await call(developer, "POST", "/api/v1/executions/\(firstID)/replay"))
        XCTAssertEqual(answers.count, 5)

        let worker = app.app.executions.makeWorker(
            nodeID: "redaction", leaseDuration: .seconds(5), pollInterval: .milliseconds(50))
        try await worker.start()
        try await eventually("the queued run finished") {
            try await self.app.fixtures.column(
                "SELECT count(*)::text FROM connector_executions WHERE status IN ('pending', 'executing')")
                == ["0"]
        }
        await worker.stop()

        // The credentials did go out: the test would see them if they came back.
        let sent = echo.received
        XCTAssertTrue(sent.contains { $0.header("Authorization") == "Bearer \(token)" })
        XCTAssertTrue(sent.contains { $0.target.contains("api_key=\(apiKey)") })
        XCTAssertTrue(sent.contains { $0.body.contains(token) }, "the pasted value was sent as given")

        for id in [bearer, keyed] {
            answers.append(try await call(viewer, "GET", "/api/v1/connectors/\(id)/executions"))
            let list = try await answers.last!.json()
            for item in list["items"]?.array ?? [] {
                answers.append(
                    try await call(viewer, "GET", "/api/v1/executions/\(item["id"]?.string ?? "")"))
            }
        }
        XCTAssertEqual(answers.count, 13, "five runs, two lists and six records")
        for answer in answers {
            XCTAssertLessThan(answer.status, 300, answer.text)
            assertClean(answer.text, of: [token, apiKey], "API answer")
        }
        let record = try answers.last!.json()
        XCTAssertTrue(
            record["raw_response"]?.string?.contains("[redacted]") ?? false, "the echo was scrubbed")

        let rows = try await rawExecutionRows()
        XCTAssertEqual(rows.count, 6, "two runs, a queued run, two chain links and a replay")
        for row in rows { assertClean(row, of: [token, apiKey], "stored row") }

        let browser = app.session()
        _ = try await app.fixtures.member("dev@acme.test", of: acme, role: .developer)
        _ = try await browser.login("dev@acme.test", IdentityFixtures.password)
        for id in [bearer, keyed] {
            let page = try await browser.get("/features/connectors/installed/\(id)")
            XCTAssertEqual(page.status, 200)
            XCTAssertTrue(page.text.contains("[redacted]"), "the panel shows the scrubbed echo")
            assertClean(page.text, of: [token, apiKey], "History page")
        }
    }

    private func assertClean(
        _ text: String, of secrets: [String], _ what: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for secret in secrets {
            guard let range = text.range(of: secret) else { continue }
            let start =
                text.index(range.lowerBound, offsetBy: -160, limitedBy: text.startIndex) ?? text.startIndex
            let context = String(text[start..<range.upperBound])
            XCTFail("a credential appears in a \(what): …\(context)", file: file, line: line)
        }
    }
}
