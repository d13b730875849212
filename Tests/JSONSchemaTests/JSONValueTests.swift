import JSON
import XCTest

final class JSONValueTests: XCTestCase {
    func testEqualityFollowsJSONSemantics() {
        XCTAssertEqual(JSON.int(1), JSON.double(1.0))
        XCTAssertNotEqual(JSON.int(1), JSON.double(1.5))
        XCTAssertEqual(JSON.object(["a": 1, "b": 2]), JSON.object(["b": 2, "a": 1.0]))
        XCTAssertNotEqual(JSON.array([1, 2]), JSON.array([2, 1]))
        XCTAssertNotEqual(JSON.bool(false), JSON.int(0))
        XCTAssertEqual(Set<JSON>([1, 1.0, ["a": 1], ["a": 1.0]]).count, 2)
    }

    func testAccessorsAndPointer() throws {
        let value: JSON = ["a": [["b": "x"], 2.0], "c~/d": true, "": 5]
        XCTAssertEqual(value.at(pointer: "/a/0/b"), "x")
        XCTAssertEqual(value.at(pointer: "/a/1")?.int, 2)
        XCTAssertEqual(value.at(pointer: "/c~0~1d"), true)
        XCTAssertEqual(value.at(pointer: "/"), 5)
        XCTAssertEqual(value.at(pointer: ""), value)
        XCTAssertNil(value.at(pointer: "/a/01"))
        XCTAssertNil(value.at(pointer: "/a/-"))
        XCTAssertNil(value.at(pointer: "a"))
        XCTAssertNil(value.at(pointer: "/c~2"))
        XCTAssertEqual(JSONPointer(tokens: ["a/b", "~"]).description, "/a~1b/~0")
        XCTAssertNil(value["a"]?.string)
        XCTAssertEqual(value["a"]?.array?.count, 2)
        XCTAssertNil(JSON.double(1.5).int)
    }

    func testObjectKeepsOrderAndSupportsEdits() {
        var object = JSONObject()
        for key in (0..<30).map({ "k\($0)" }).reversed() { object[key] = .string(key) }
        XCTAssertEqual(object.keys.first, "k29")
        XCTAssertEqual(object["k3"], "k3")
        object["k3"] = nil
        XCTAssertNil(object["k3"])
        XCTAssertEqual(object.count, 29)
        XCTAssertEqual(object["k2"], "k2")
        object["k2"] = 7
        XCTAssertEqual(object.keys.last, "k0")
        XCTAssertEqual(object["k2"], 7)
    }

    func testSerializerRoundTripsAndEscapes() throws {
        let value: JSON = [
            "s": "quote\" back\\ nl\n tab\t ctl\u{1} é 😀 </script>",
            "n": [1, -2.5, 1e-7, 9_007_199_254_740_993],
            "b": [true, false, nil], "o": [:], "a": [],
        ]
        let compact = value.serializedString()
        XCTAssertEqual(try JSON(parsing: compact), value)
        XCTAssertTrue(compact.contains(#""quote\" back\\ nl\n tab\t ctl\u0001 é 😀 </script>""#), compact)
        XCTAssertTrue(compact.contains("9007199254740993"))
        XCTAssertTrue(value.serializedString(options: .escapeForHTML).contains(#"<\/script>"#))
        XCTAssertEqual(try JSON(parsing: value.serializedString(options: .prettyPrinted)), value)
        XCTAssertEqual(JSON.double(1.0).description, "1.0")
        XCTAssertEqual(JSON.string("\u{2028}").serializedString(options: .escapeForHTML), #""\u2028""#)
    }

    func testPrettyAndSortedOutput() {
        let value: JSON = ["b": [1, 2], "a": ["c": nil], "e": [], "d": [:]]
        XCTAssertEqual(
            value.serializedString(options: .sortedKeys), #"{"a":{"c":null},"b":[1,2],"d":{},"e":[]}"#)
        let pretty = value.serializedString(options: [.prettyPrinted, .sortedKeys])
        XCTAssertEqual(
            pretty,
            """
            {
              "a": {
                "c": null
              },
              "b": [
                1,
                2
              ],
              "d": {},
              "e": []
            }
            """)
    }
}
