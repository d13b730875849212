import JSON
import JSONSchema
import XCTest

final class ErrorMessageTests: XCTestCase {
    private let connectorSchema: JSON = [
        "type": "object",
        "required": ["name", "auth", "port"],
        "additionalProperties": false,
        "properties": [
            "name": ["type": "string", "minLength": 3, "pattern": "^[a-z][a-z0-9-]*$"],
            "status": ["enum": ["draft", "beta", "stable"]],
            "port": ["type": "integer", "minimum": 1, "maximum": 65535],
            "owner": ["type": "string", "format": "email"],
            "auth": [
                "type": "object", "required": ["api_key"],
                "properties": ["api_key": ["type": "string", "minLength": 8]],
            ],
            "headers": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["key", "value"],
                    "properties": ["key": ["type": "string", "minLength": 1], "value": ["type": "string"]],
                ],
            ],
        ],
    ]

    func testMessagesAndLocations() throws {
        let schema = try Schema(connectorSchema)
        let result = schema.validate([
            "name": "My Connector", "status": "alpha", "port": 70000, "owner": "not-an-email", "auth": [:],
            "headers": [["key": "A", "value": "1"], ["key": "B", "value": "2"], ["key": "C", "value": 3]],
            "extra": true,
        ])
        XCTAssertFalse(result.isValid)
        XCTAssertEqual(
            result.fieldErrors,
            [
                "name": ["must match the pattern ^[a-z][a-z0-9-]*$"],
                "status": ["must be one of: draft, beta, stable"],
                "port": ["must be at most 65535"],
                "owner": ["must be a valid email address"],
                "auth.api_key": ["is required"],
                "headers[2].value": ["must be a string"],
                "extra": ["is not allowed"],
            ])
        let missing = try XCTUnwrap(result.errors.first { $0.fieldPath == "auth.api_key" })
        XCTAssertEqual(missing.instanceLocation, "/auth/api_key")
        XCTAssertEqual(missing.keyword, "required")
        XCTAssertEqual(missing.schemaLocation, "/properties/auth/required")
        XCTAssertEqual(missing.description, "auth.api_key: is required")
        let header = try XCTUnwrap(result.errors.first { $0.fieldPath == "headers[2].value" })
        XCTAssertEqual(header.instanceLocation, "/headers/2/value")
        XCTAssertEqual(header.schemaLocation, "/properties/headers/items/properties/value/type")
    }

    func testLengthAndRootMessages() throws {
        let schema = try Schema([
            "type": "object", "properties": ["password": ["type": "string", "minLength": 8]],
        ])
        XCTAssertEqual(
            schema.validate(["password": "short"]).fieldErrors,
            ["password": ["must be at least 8 characters"]])
        XCTAssertEqual(schema.validate("text").fieldErrors, ["": ["must be an object"]])
        let emoji = try Schema(["minLength": 2, "maxLength": 2])
        XCTAssertTrue(emoji.isValid("😀😀"), "lengths count code points")
        XCTAssertEqual(emoji.validate("😀😀😀").errors.map(\.message), ["must be at most 2 characters"])
        let money = try Schema(["multipleOf": 0.01])
        XCTAssertTrue(money.isValid(19.99))
        XCTAssertFalse(money.isValid(19.999))
        XCTAssertEqual(
            try Schema(["type": ["string", "null"]]).validate(1).errors.first?.message,
            "must be a string or null")
    }

    private let authSchema: JSON = [
        "type": "object",
        "properties": [
            "auth": [
                "oneOf": [
                    [
                        "title": "API key", "type": "object", "required": ["method", "api_key"],
                        "properties": [
                            "method": ["const": "api_key"], "api_key": ["type": "string", "minLength": 8],
                        ],
                    ],
                    [
                        "title": "OAuth", "type": "object",
                        "required": ["method", "client_id", "client_secret"],
                        "properties": [
                            "method": ["const": "oauth"], "client_id": ["type": "string"],
                            "client_secret": ["type": "string"],
                        ],
                    ],
                ]
            ]
        ],
    ]

    func testOneOfReportsTheDiscriminatedBranchOnly() throws {
        let schema = try Schema(authSchema)
        let result = schema.validate(["auth": ["method": "oauth", "client_id": "abc"]])
        XCTAssertEqual(
            result.fieldErrors,
            ["auth": ["is not valid for the \"OAuth\" option"], "auth.client_secret": ["is required"]])
        XCTAssertEqual(result.errors.first?.keyword, "oneOf")
        XCTAssertTrue(schema.isValid(["auth": ["method": "api_key", "api_key": "0123456789"]]))
    }

    func testOneOfWithoutDiscriminatorPicksTheFewestErrors() throws {
        let schema = try Schema(authSchema)
        let result = schema.validate(["auth": ["api_key": "short"]])
        XCTAssertEqual(
            result.fieldErrors,
            [
                "auth": ["does not match any allowed option (closest: \"API key\")"],
                "auth.method": ["is required"], "auth.api_key": ["must be at least 8 characters"],
            ])
    }

    func testAnyOfPrefersTheBranchWhoseTypeFits() throws {
        let schema = try Schema(["anyOf": [["type": "integer"], ["type": "string", "minLength": 5]]])
        XCTAssertEqual(
            schema.validate("abc").errors.map(\.message),
            ["does not match any allowed option (closest: option 2)", "must be at least 5 characters"])
    }

    func testOneOfMatchingSeveralBranches() throws {
        let schema = try Schema([
            "oneOf": [["title": "Number", "type": "number"], ["title": "Small", "maximum": 10]]
        ])
        XCTAssertEqual(
            schema.validate(5).errors.map(\.message),
            ["must match exactly one option, but matches \"Number\" and \"Small\""])
    }

    func testInvalidSchemasAreRejectedWithTheirLocation() {
        let cases: [(JSON, SchemaError.Kind, String)] = [
            (["properties": ["name": ["pattern": "^(abc"]]], .invalidPattern, "/properties/name/pattern"),
            (["properties": ["a": ["minLength": "8"]]], .invalidKeyword, "/properties/a/minLength"),
            (
                ["properties": ["b": ["$ref": "#/$defs/missing"]]], .unresolvableReference,
                "/properties/b/$ref"
            ),
            (["type": "text"], .invalidKeyword, "/type"),
            (["allOf": []], .invalidKeyword, "/allOf"),
            (["items": [["type": "string"]]], .invalidKeyword, "/items"),
            (["properties": ["x": 5]], .invalidKeyword, "/properties/x"),
            (
                ["$defs": ["a~b/c": ["multipleOf": 0]], "$ref": "#/$defs/a~0b~1c"], .invalidKeyword,
                "/$defs/a~0b~1c/multipleOf"
            ),
        ]
        for (json, kind, location) in cases {
            XCTAssertThrowsError(try Schema(json), "\(json)") { error in
                guard let error = error as? SchemaError else { return XCTFail("wrong error type") }
                XCTAssertEqual(error.kind, kind, "\(json)")
                XCTAssertEqual(error.schemaLocation, location, "\(json)")
            }
        }
        XCTAssertThrowsError(try Schema(parsing: "{\"type\": }")) { error in
            XCTAssertEqual((error as? SchemaError)?.kind, .invalidJSON)
        }
    }

    func testReferenceCyclesTerminate() throws {
        let tree = try Schema([
            "$defs": [
                "node": [
                    "type": "object",
                    "properties": ["children": ["type": "array", "items": ["$ref": "#/$defs/node"]]],
                ]
            ],
            "$ref": "#/$defs/node",
        ])
        XCTAssertTrue(tree.isValid(["children": [["children": []], ["children": [["children": []]]]]]))
        XCTAssertEqual(
            tree.validate(["children": [["children": 1]]]).fieldErrors,
            ["children[0].children": ["must be a list"]])
        let loop = try Schema([
            "$defs": ["a": ["$ref": "#/$defs/b"], "b": ["$ref": "#/$defs/a"]], "$ref": "#/$defs/a",
        ])
        XCTAssertFalse(loop.isValid(1))
    }
}
