import Foundation
import JSON
import JSONSchema
import Patchbay
import TestSupport
import XCTest

/// The proposed change to custom-http's `config_schema` for multi-step connectors, checked against
/// the seed as it stands and against what `ExecutionPlan` accepts:
///
/// - a `steps` property: an array of 1–10 objects with `name` (`^[A-Za-z_][A-Za-z0-9_]{0,63}$`) plus
///   copies of the top-level request and delivery properties, `required: [name, url]`,
///   `additionalProperties: false` and the same body-requires-body_type rule;
/// - the top-level `required` loses `url`, and `oneOf: [{required: [url]}, {required: [steps]}]`
///   makes a config either one request or steps.
///
/// As a backward-compatible addition this is a minor version (1.0.0 → 1.1.0).
final class StepsSchemaExecutionTests: XCTestCase {
    static let stepProperties = [
        "method", "url", "headers", "query_params", "body_type", "body", "content_type", "timeout_ms",
        "retries",
        "retry_backoff_ms", "retry_on_status", "follow_redirects", "verify_tls", "field_mappings",
    ]

    /// The seed's config schema with the proposal applied.
    static func proposedSchema() throws -> JSON {
        let manifest = try JSON(
            parsing: Array(
                try Data(
                    contentsOf: URL(fileURLWithPath: ProjectRoot.path + "/Seeds/connectors/custom-http.json"))
            ))
        var schema = try XCTUnwrap(manifest["config_schema"]?.object)
        let properties = try XCTUnwrap(schema["properties"]?.object)
        var stepProperties: JSONObject = [
            "name": [
                "title": "Name", "description": "Later steps read this step's results as {{steps.<name>.…}}.",
                "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "order": 0,
            ]
        ]
        for key in Self.stepProperties { stepProperties[key] = properties[key] }
        var allProperties = properties
        allProperties["steps"] = [
            "title": "Steps",
            "description":
                "Requests sent in order instead of the single request; each may use earlier steps' results: {{steps.<name>.response.<path>}}, .mapped.<field>, .status, .headers.<name>.",
            "type": "array", "minItems": 1, "maxItems": .int(Int64(ExecutionPlan.maxSteps)),
            "items": [
                "type": "object", "properties": .object(stepProperties), "required": ["name", "url"],
                "additionalProperties": false, "allOf": schema["allOf"] ?? [],
            ],
            "group": "Steps", "order": 15,
        ]
        schema["properties"] = .object(allProperties)
        schema["required"] = ["method"]
        schema["oneOf"] = [["required": ["url"]], ["required": ["steps"]]]
        return .object(schema)
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
