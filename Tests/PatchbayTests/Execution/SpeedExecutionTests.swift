import JSON
import Outbound
import Patchbay
import XCTest

/// What the executor adds over a bare client request to the same local server: templating, auth,
/// redaction, mapping and the outcome. A guard against pathological slowness, not a benchmark: the
/// bound is generous even for a debug build on a busy machine.
final class SpeedExecutionTests: ExecutionTestCase {
    func testExecutorOverheadOverTheClient() async throws {
        server.script("/items/42", .json(#"{"data": {"id": "42", "name": "Widget", "tags": ["a", "b"]}}"#))
        let config: JSON = [
            "method": "POST", "url": .string(server.url("/items/{{input.id}}")),
            "query_params": [["key": "email", "value": "{{contact.email}}"]],
            "body_type": "json", "body": #"{"name": "{{contact.name}}", "note": "{{input.note}}"}"#,
            "field_mappings": [
                ["source_path": "$.data.id", "target_field": "id"],
                ["source_path": "$.data.tags[1]", "target_field": "tag"],
            ],
        ]
        let auth: JSON = ["method": "bearer", "token": "speed-test-token"]
        let executor = try executor()
        let plan = try ExecutionPlan(config: config)
        let request = OutboundHTTPRequest(
            method: "POST", url: server.url("/items/42?email=a%40b.c"),
            headers: ["Authorization": "Bearer speed-test-token", "Content-Type": "application/json"],
            body: Array(#"{"name":"Ada","note":"n"}"#.utf8))
        let iterations = 200
        var direct: [Duration] = []
        var executed: [Duration] = []
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            direct.append(try await clock.measure { _ = try await executor.client.send(request) })
            executed.append(
                await clock.measure {
                    let outcome = await executor.run(
                        plan, auth: auth, input: ["id": "42", "note": "n"],
                        contact: ["email": "a@b.c", "name": "Ada"], workspace: [:])
                    XCTAssertEqual(outcome.mapped, ["id": "42", "tag": "b"])
                })
        }
        let directMedian = direct.sorted()[iterations / 2]
        let executedMedian = executed.sorted()[iterations / 2]
        print("median per request: client \(directMedian), executor \(executedMedian)")
        XCTAssertLessThan(executedMedian - directMedian, .milliseconds(5))
    }
}
