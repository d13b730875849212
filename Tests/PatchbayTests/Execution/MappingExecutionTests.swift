import JSON
import Patchbay
import XCTest

final class MappingExecutionTests: ExecutionTestCase {
    let body = #"""
        {"identities": [{"firstName": "Ada", "emails": [{"value": "ada@example.com"}, {"value": "al@example.com"}]}],
         "address": {"city": "London", "geo": [[51.5, -0.12]]}, "odd key": {"x": 1}, "score": 0.93}
        """#

    func testPresentMissingAndNestedArrayMappings() async throws {
        server.script("/person", .json(body))
        let outcome = try await run([
            "url": url("/person"),
            "field_mappings": [
                ["source_path": "identities[0].firstName", "target_field": "firstname"],
                ["source_path": "$.identities[0].emails[1].value", "target_field": "email"],
                ["source_path": "$.address.geo[0][1]", "target_field": "address.lng"],
                ["source_path": "$.address.city", "target_field": "address.city"],
                ["source_path": "$[\"odd key\"].x", "target_field": "odd"],
                ["source_path": "$.score", "target_field": "score"],
                ["source_path": "$.identities[1].firstName", "target_field": "second"],
                ["source_path": "$.phone", "target_field": "phone"],
                ["source_path": "$.address.city.name", "target_field": "city_name"],
            ],
        ])
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(outcome.httpStatus, 200)
        XCTAssertEqual(
            outcome.mapped,
            [
                "firstname": "Ada", "email": "al@example.com", "address": ["lng": -0.12, "city": "London"],
                "odd": 1, "score": 0.93,
            ])
        XCTAssertEqual(
            outcome.mappingProblems.map { "\($0.targetField): \($0.message)" },
            [
                "second: identities[1] is out of range (the array has 1 item)",
                "phone: no member phone",
                "city_name: address.city is a string, not an object",
            ])
        XCTAssertEqual(outcome.mappingProblems.first?.sourcePath, "$.identities[1].firstName")
        XCTAssertEqual(outcome.rawResponse, body)
    }

    func testOutcomeAsJSON() async throws {
        server.script("/person", .json(body))
        let outcome = try await run([
            "url": url("/person"),
            "field_mappings": [
                ["source_path": "$.address.city", "target_field": "city"],
                ["source_path": "$.nope", "target_field": "nope"],
            ],
        ])
        let json = outcome.json()
        XCTAssertEqual(json["status"], "completed")
        XCTAssertEqual(json["http_status"], 200)
        XCTAssertEqual(json["mapped"], ["city": "London"])
        XCTAssertEqual(
            json["mapping_problems"],
            [["source_path": "$.nope", "target_field": "nope", "message": "no member nope"]])
        XCTAssertEqual(json["attempts"], 1)
        XCTAssertEqual(json["raw_response_truncated"], false)
        XCTAssertEqual(json["request"]?["method"], "GET")
        XCTAssertEqual(json["request"]?["url"]?.string, server.url("/person"))
        XCTAssertNotNil(json["duration_ms"]?.int)
        XCTAssertNil(json["error"])
    }
}
