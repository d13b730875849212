import JSON
import JSONSchema
import XCTest

/// Draft-07 behaviour selected by `$schema`.
final class Draft07Tests: XCTestCase {
    private let draft07 = "http://json-schema.org/draft-07/schema#"

    func testDefinitionsAndRefOverridingSiblings() throws {
        let schema = try Schema([
            "$schema": .string(draft07),
            "definitions": ["port": ["type": "integer", "maximum": 65535]],
            "properties": ["port": ["$ref": "#/definitions/port", "minimum": 1000]],
        ])
        XCTAssertTrue(schema.isValid(["port": 80]), "siblings of $ref are ignored in draft-07")
        XCTAssertFalse(schema.isValid(["port": 70000]))
        let modern = try Schema([
            "$defs": ["port": ["type": "integer", "maximum": 65535]],
            "properties": ["port": ["$ref": "#/$defs/port", "minimum": 1000]],
        ])
        XCTAssertFalse(modern.isValid(["port": 80]), "2020-12 applies $ref siblings")
    }

    func testDependenciesBothForms() throws {
        let schema = try Schema([
            "$schema": .string(draft07),
            "dependencies": [
                "ssl_cert": ["ssl_key"],
                "use_proxy": ["required": ["proxy_host"]],
            ],
        ])
        XCTAssertTrue(schema.isValid(["ssl_cert": "a", "ssl_key": "b"]))
        XCTAssertEqual(
            schema.validate(["ssl_cert": "a"]).fieldErrors,
            ["ssl_key": ["is required when 'ssl_cert' is set"]])
        XCTAssertFalse(schema.isValid(["use_proxy": true]))
        XCTAssertTrue(schema.isValid(["use_proxy": true, "proxy_host": "p"]))
    }

    func testTupleItemsWithAdditionalItems() throws {
        let schema = try Schema([
            "$schema": .string(draft07),
            "items": [["type": "string"], ["type": "integer"]],
            "additionalItems": false,
        ])
        XCTAssertTrue(schema.isValid(["a", 1]))
        XCTAssertTrue(schema.isValid(["a"]))
        XCTAssertFalse(schema.isValid(["a", "b"]))
        XCTAssertEqual(schema.validate(["a", 1, true]).fieldErrors, ["[2]": ["is not allowed"]])
        let single = try Schema([
            "$schema": .string(draft07), "items": ["type": "string"], "additionalItems": false,
        ])
        XCTAssertTrue(
            single.isValid(["a", "b", "c"]), "additionalItems is ignored when items is a single schema")
    }

    func testDraft07AnchorsAndIDs() throws {
        let schema = try Schema([
            "$schema": .string(draft07),
            "$id": "http://example.com/root.json",
            "definitions": ["A": ["$id": "#foo", "type": "integer"]],
            "properties": ["a": ["$ref": "#foo"]],
        ])
        XCTAssertTrue(schema.isValid(["a": 1]))
        XCTAssertFalse(schema.isValid(["a": "x"]))
    }
}
