import JSON
import Patchbay
import XCTest

final class FieldMappingTests: XCTestCase {
    let response: JSON = [
        "identities": [["firstName": "Ada", "emails": ["a@x", "b@x"]]],
        "data": ["items": [1, 2, ["deep": [[], ["v": true]]]], "empty": [] as JSON],
        "odd key": ["x": 1], "a.b": "dotted", "it's": "quoted", "count": 0, "none": nil,
    ]

    func testPathSyntax() throws {
        XCTAssertEqual(
            try JSONPath("identities[0].firstName").segments,
            [.key("identities"), .index(0), .key("firstName")])
        XCTAssertEqual(try JSONPath("$.data.items[2]").segments, [.key("data"), .key("items"), .index(2)])
        XCTAssertEqual(try JSONPath(#"["odd key"].x"#).segments, [.key("odd key"), .key("x")])
        XCTAssertEqual(try JSONPath("$['a.b']").segments, [.key("a.b")])
        XCTAssertEqual(try JSONPath(#"['it\'s']"#).segments, [.key("it's")])
        XCTAssertEqual(try JSONPath("$").segments, [])
        XCTAssertEqual(try JSONPath(#"$["odd key"].x[3]"#).description, #"["odd key"].x[3]"#)
        XCTAssertEqual(try JSONPath("$.data.id").rootedDescription, "$.data.id")
        for bad in [
            "", "a..b", "a.", "a[", "a[-1]", "a[x]", "a['x'", "$x", "a b", "[99999999999999999999999]",
        ] {
            XCTAssertThrowsError(try JSONPath(bad), bad) {
                XCTAssertEqual(($0 as? RequestError)?.kind, .invalidPath, bad)
            }
        }
    }

    func testPresentValuesAreMappedIntoNestedTargets() throws {
        let mappings = try [
            FieldMapping(source: "identities[0].firstName", target: "firstname"),
            FieldMapping(source: "$.identities[0].emails[1]", target: "contact.email"),
            FieldMapping(source: "data.items[2].deep[1].v", target: "contact.flags.deep"),
            FieldMapping(source: #"["odd key"].x"#, target: "odd"),
            FieldMapping(source: "$['a.b']", target: "dotted"),
            FieldMapping(source: "count", target: "count"),
            FieldMapping(source: "none", target: "none"),
            FieldMapping(source: "$.data.items", target: "items"),
        ]
        let result = FieldMapping.apply(mappings, to: response)
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(
            JSON.object(result.mapped),
            [
                "firstname": "Ada", "contact": ["email": "b@x", "flags": ["deep": true]], "odd": 1,
                "dotted": "dotted",
                "count": 0, "none": nil, "items": [1, 2, ["deep": [[], ["v": true]]]],
            ])
    }

    func testMissingPathsAreReportedPerMapping() throws {
        let mappings = try [
            FieldMapping(source: "data.empty[0]", target: "a"),
            FieldMapping(source: "identities[0].lastName", target: "b"),
            FieldMapping(source: "missing", target: "c"),
            FieldMapping(source: "identities[3].firstName", target: "d"),
            FieldMapping(source: "identities[0].firstName.x", target: "e"),
            FieldMapping(source: "data[0]", target: "f"),
            FieldMapping(source: "none.x", target: "g"),
            FieldMapping(source: "identities[0].firstName", target: "ok"),
        ]
        let result = FieldMapping.apply(mappings, to: response)
        XCTAssertEqual(JSON.object(result.mapped), ["ok": "Ada"])
        XCTAssertEqual(
            result.problems.map { "\($0.mapping.target): \($0.message)" },
            [
                "a: data.empty[0] is out of range (the array has 0 items)",
                "b: no member lastName in identities[0]",
                "c: no member missing",
                "d: identities[3] is out of range (the array has 1 item)",
                "e: identities[0].firstName is a string, not an object",
                "f: data is an object, not an array",
                "g: none is null, not an object",
            ])
    }

    func testTargetCollisionsAndNonJSONBodies() throws {
        let mappings = try [
            FieldMapping(source: "count", target: "a"), FieldMapping(source: "count", target: "a.b"),
        ]
        let result = FieldMapping.apply(mappings, to: response)
        XCTAssertEqual(result.problems.map(\.message), ["target a already holds a number"])
        let notJSON = FieldMapping.apply(mappings, toBody: Array("<html>".utf8))
        XCTAssertEqual(notJSON.problems.count, 2)
        XCTAssertEqual(notJSON.problems.first?.message, "the response is not JSON")
        XCTAssertThrowsError(try FieldMapping(source: "a", target: "x..y"))
        XCTAssertThrowsError(try FieldMapping(source: "a", target: ""))
    }

    func testMappingListFromConfigInBothSpellings() throws {
        let list = try FieldMapping.list([
            ["source_path": "$.data.id", "target_field": "record_id"],
            ["sourcePath": "identities[0].firstName", "targetField": "firstname"],
        ])
        XCTAssertEqual(list.map(\.target), ["record_id", "firstname"])
        XCTAssertThrowsError(try FieldMapping.list([["source_path": "$.x"]]))
        XCTAssertThrowsError(try FieldMapping.list("nope"))
    }

    func testExpectJSON() throws {
        let expectation = try JSONExpectation(["$.ok": true, "$.data.ping": "pong", "$.n": 1.0])
        XCTAssertEqual(expectation.failures(in: ["ok": true, "data": ["ping": "pong"], "n": 1]), [])
        XCTAssertEqual(
            expectation.failures(in: ["ok": false, "error": "invalid_auth", "n": 2]),
            [
                "$.ok is false, expected true", "$.data.ping: no member data, expected \"pong\"",
                "$.n is 2, expected 1.0",
            ])
        XCTAssertThrowsError(try JSONExpectation(["$..x": 1]))
    }
}
