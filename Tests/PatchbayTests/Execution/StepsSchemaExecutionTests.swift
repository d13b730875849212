import Foundation
import JSON
import JSONSchema
import Patchbay
import TestSupport
import XCTest

/// custom-http's `config_schema` (Seeds/connectors/custom-http.json) and `ExecutionPlan` agree on
/// multi-step connectors: a `steps` array of 1–10 named requests (copies of the top-level request and
/// delivery properties), and a config that is either one request (`url`) or steps, never both.
final class StepsSchemaExecutionTests: XCTestCase {
    /// The seed's config schema, as tenants' forms and validation see it.
    static func proposedSchema() throws -> JSON {
        let manifest = try JSON(
            parsing: Array(
                try Data(
                    contentsOf: URL(fileURLWithPath: ProjectRoot.path + "/Seeds/connectors/custom-http.json"))
            ))
        return try XCTUnwrap(manifest["config_schema"])
    }

    let single: JSON = ["method": "GET", "url": "https://api.example.com/v1/{{input.id}}"]
    let multi: JSON = [
        "method": "GET", "timeout_ms": 5000, "headers": [["key": "Accept", "value": "application/json"]],
        "steps": [
            [
                "name": "lookup", "url": "https://api.example.com/people?email={{contact.email}}",
                "field_mappings": [["source_path": "$.id", "target_field": "person_id"]],
            ],
            [
                "name": "update", "method": "PATCH",
                "url": "https://api.example.com/people/{{steps.lookup.response.id}}",
                "body_type": "json", "body": "{\"first\": \"{{steps.lookup.mapped.person_id}}\"}",
                "retries": 0,
            ],
        ],
    ]

    func testValidConfigsPassTheSchemaAndCompile() throws {
        let schema = try Schema(try Self.proposedSchema())
        for config in [single, multi] {
            XCTAssertEqual(schema.validate(config).fieldErrors, [:])
            XCTAssertNoThrow(try ExecutionPlan(config: config))
        }
    }

    func testInvalidConfigsFailTheSchemaAndThePlan() throws {
        let schema = try Schema(try Self.proposedSchema())
        var both = multi.object ?? [:]
        both["url"] = "https://api.example.com/"
        var unknownKey = multi.object ?? [:]
        unknownKey["steps"] = [["name": "a", "url": "https://h.example/", "uri": "x"]]
        var badName = multi.object ?? [:]
        badName["steps"] = [["name": "1st", "url": "https://h.example/"]]
        var noBody = multi.object ?? [:]
        noBody["steps"] = [["name": "a", "url": "https://h.example/", "body_type": "json"]]
        for config in [both, unknownKey, badName, noBody] {
            XCTAssertFalse(schema.isValid(.object(config)), "\(config)")
            XCTAssertThrowsError(try ExecutionPlan(config: .object(config)), "\(config)")
        }
        XCTAssertFalse(schema.isValid(["method": "GET"]))
    }
}
