import JSON
import Patchbay
import XCTest

final class StepsExecutionTests: ExecutionTestCase {
    func testLaterStepUsesAnEarlierStepsResults() async throws {
        server.script("/people", .json(#"{"id": "p/42", "name": {"first": "Ada"}}"#))
        server.script("/people/p%2F42", .json(#"{"updated": true}"#))
        let config: JSON = [
            "headers": [
                ["key": "X-Team", "value": "blue"], ["key": "Accept", "value": "application/json"],
            ],
            "retries": 0,
            "steps": [
                [
                    "name": "lookup", "url": url("/people"),
                    "query_params": [["key": "email", "value": "{{contact.email}}"]],
                    "field_mappings": [["source_path": "$.name.first", "target_field": "firstname"]],
                ],
                [
                    "name": "update", "method": "PATCH",
                    "url": .string(server.url("/people/{{steps.lookup.response.id}}")),
                    "headers": [["key": "accept", "value": "text/plain"]],
                    "body_type": "json",
                    "body":
                        #"{"first": "{{steps.lookup.mapped.firstname}}", "seen": {{steps.lookup.status}}, "type": "{{steps.lookup.headers.content-type}}"}"#,
                    "field_mappings": [["source_path": "$.updated", "target_field": "updated"]],
                ],
            ],
        ]
        let outcome = try await run(config, contact: ["email": "ada@example.com"])
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        XCTAssertEqual(outcome.steps.map(\.name), ["lookup", "update"])
        XCTAssertEqual(outcome.steps.map(\.outcome.status), [.completed, .completed])
        XCTAssertEqual(outcome.mapped, ["firstname": "Ada", "updated": true])
        XCTAssertEqual(outcome.attempts, 2)
        XCTAssertEqual(outcome.redactedRequest?.method, "PATCH")

        let lookup = try XCTUnwrap(server.received("/people").first)
        XCTAssertEqual(lookup.target, "/people?email=ada%40example.com")
        XCTAssertEqual(lookup.header("X-Team"), "blue")
        XCTAssertEqual(lookup.header("Accept"), "application/json")
        let update = try XCTUnwrap(server.received("/people/p%2F42").first)
        XCTAssertEqual(update.method, "PATCH")
        XCTAssertEqual(update.header("X-Team"), "blue")
        XCTAssertEqual(
            update.headers.filter { $0.name.lowercased() == "accept" }.map(\.value), ["text/plain"])
        XCTAssertEqual(
            try JSON(parsing: update.body), ["first": "Ada", "seen": 200, "type": "application/json"])

        let json = outcome.json()
        XCTAssertEqual(json["steps"]?.array?.count, 2)
        XCTAssertEqual(json["steps"]?[1]?["name"], "update")
        XCTAssertEqual(
            json["steps"]?[0]?["request"]?["url"]?.string, server.url("/people?email=ada%40example.com"))
    }

    func testFailingMiddleStepStopsTheRest() async throws {
        server.script("/a", .json(#"{"id": 1}"#))
        server.script("/b", .json(#"{"error": "invalid"}"#, status: 422))
        server.script("/c", .json("{}"))
        let outcome = try await run([
            "steps": [
                [
                    "name": "first", "url": url("/a"),
                    "field_mappings": [["source_path": "$.id", "target_field": "id"]],
                ],
                ["name": "verify", "method": "POST", "url": url("/b")],
                ["name": "notify", "method": "POST", "url": url("/c")],
            ]
        ])
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.step, "verify")
        XCTAssertEqual(outcome.error?.kind, .httpStatus)
        XCTAssertEqual(outcome.error?.message, "step 'verify' failed: the server answered with HTTP 422")
        XCTAssertEqual(outcome.steps.map(\.name), ["first", "verify"])
        XCTAssertEqual(outcome.skippedSteps, ["notify"])
        XCTAssertEqual(outcome.httpStatus, 422)
        XCTAssertEqual(outcome.rawResponse, #"{"error": "invalid"}"#)
        XCTAssertEqual(outcome.mapped, ["id": 1])
        XCTAssertEqual(server.hits("/c"), 0)
        XCTAssertEqual(outcome.json()["skipped_steps"], ["notify"])
    }

    func testStepMissingAnEarlierValueFailsNamingIt() async throws {
        server.script("/a", .json(#"{"id": 1}"#))
        server.script("/b", .json("{}"))
        let outcome = try await run([
            "steps": [
                ["name": "lookup", "url": url("/a")],
                ["name": "use", "url": .string(server.url("/b?ref={{steps.lookup.response.ref}}"))],
            ]
        ])
        XCTAssertEqual(outcome.error?.kind, .missingVariable)
        XCTAssertEqual(
            outcome.error?.message, "step 'use' failed: url: missing variable steps.lookup.response.ref")
        XCTAssertEqual(outcome.steps.last?.outcome.error?.step, "use")
        XCTAssertEqual(server.hits("/b"), 0)
    }

    func testStepsInheritDeliverySettingsAndMayOverrideThem() throws {
        let plan = try ExecutionPlan(config: [
            "timeout_ms": 2000, "retries": 4, "method": "GET", "body_type": "none",
            "steps": [
                ["name": "a", "url": "https://h.example/a"],
                ["name": "b", "url": "https://h.example/b", "retries": 0, "timeout_ms": 500],
            ],
        ])
        XCTAssertTrue(plan.isMultiStep)
        XCTAssertEqual(plan.steps.map(\.settings.retry.retries), [4, 0])
        XCTAssertEqual(plan.steps.map(\.settings.timeout), [.milliseconds(2000), .milliseconds(500)])
        XCTAssertFalse(try ExecutionPlan(config: ["url": "https://h.example/"]).isMultiStep)
    }

    func testStepsTolerateTheEmptyDefaultsAnInstallFillsIn() throws {
        let plan = try ExecutionPlan(config: [
            "method": "GET", "body_type": "none", "headers": [], "query_params": [], "field_mappings": [],
            "body": "", "steps": [["name": "a", "url": "https://h.example/a"]],
        ])
        XCTAssertEqual(plan.steps.count, 1)
        XCTAssertThrowsError(
            try ExecutionPlan(config: [
                "query_params": [["key": "q", "value": "1"]],
                "steps": [["name": "a", "url": "https://h.example/"]],
            ]))
    }

    func testPlanErrorsNameTheFieldAtFault() {
        let cases: [(JSON, String)] = [
            (["steps": []], "steps: expected a non-empty list of steps"),
            (
                ["url": "https://h.example/", "steps": [["name": "a", "url": "https://h.example/"]]],
                "url: with steps, 'url' belongs in each step"
            ),
            (
                ["steps": [["url": "https://h.example/"]]],
                "steps[0].name: a step needs a name of letters, digits and '_' (not starting with a digit)"
            ),
            (
                [
                    "steps": [
                        ["name": "a", "url": "https://h.example/"],
                        ["name": "a", "url": "https://h.example/"],
                    ]
                ],
                "steps[1].name: the name 'a' is used by an earlier step"
            ),
            (["steps": [["name": "a", "uri": "https://h.example/"]]], "steps[0]: unknown field 'uri'"),
            (
                [
                    "steps": [
                        ["name": "a", "url": "https://h.example/{{steps.b.response.id}}"],
                        ["name": "b", "url": "https://h.example/"],
                    ]
                ],
                "steps[0]: {{steps.b.response.id}} refers to step 'b', but no step runs before this one"
            ),
            (
                [
                    "steps": [
                        ["name": "a", "url": "https://h.example/"],
                        ["name": "b", "url": "https://h.example/{{steps.c.status}}"],
                    ]
                ],
                "steps[1]: {{steps.c.status}} refers to step 'c', which does not run before this one"
            ),
            (
                ["steps": [["name": "a", "url": "https://h.example/", "retries": 99]]],
                "steps[0]: retries: expected an integer from 0 to 10"
            ),
            (
                ["url": "https://h.example/{{steps.a.status}}"],
                "{{steps.a.status}} refers to step 'a', but no step runs before this one"
            ),
        ]
        for (config, message) in cases {
            XCTAssertThrowsError(try ExecutionPlan(config: config), "\(config)") { error in
                XCTAssertEqual((error as? RequestError)?.message, message)
            }
        }
        let tooMany = JSON.array(
            (0...ExecutionPlan.maxSteps).map {
                .object(["name": .string("s\($0)"), "url": "https://h.example/"])
            })
        XCTAssertThrowsError(try ExecutionPlan(config: ["steps": tooMany]))
    }
}
