import JSON
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesEveryKindOfValue() throws {
        let value = try JSON(
            parsing: #" { "a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d\u00e9\n"} } "#)
        XCTAssertEqual(value["a"]?[0], .int(1))
        XCTAssertEqual(value["a"]?[1], .int(-2))
        XCTAssertEqual(value["a"]?[2], .double(3.5))
        XCTAssertEqual(value["a"]?[3], .double(1000))
        XCTAssertEqual(value["a"]?[4], .bool(true))
        XCTAssertEqual(value["a"]?[6], .null)
        XCTAssertEqual(value["b"]?["c"]?.string, "dé\n")
        XCTAssertEqual(value.object?.keys, ["a", "b"])
    }

    func testValidCorpus() throws {
        let corpus: [(String, JSON)] = [
            ("0", 0), ("-0", 0), ("[]", []), ("{}", [:]), (#""""#, ""), ("1.0", 1.0), ("-1.5e-3", -0.0015),
            ("1E+2", 100.0), ("0.1", 0.1), ("123456789.123456789", 123456789.123456789),
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"), (#""\ud83d\ude00""#, "😀"), ("\"😀\"", "😀"),
            (" \t\r\n[ 1 , 2 ] \n", [1, 2]), ("[[[]]]", [[[]]]), ("\u{FEFF}{}", [:]),
            ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("2.2250738585072014e-308", .double(2.2250738585072014e-308)),
        ]
        for (text, expected) in corpus {
            XCTAssertEqual(try JSON(parsing: text), expected, text)
        }
    }

    func testIntegersStayExactAndHugeNumbersBecomeDoubles() throws {
        XCTAssertEqual(try JSON(parsing: "9007199254740993").int64, 9_007_199_254_740_993)
        let huge = try JSON(parsing: "18446744073709551616")
        guard case .double(let value) = huge else { return XCTFail("expected a double, got \(huge)") }
        XCTAssertEqual(value, 18_446_744_073_709_551_616.0)
        XCTAssertEqual(try JSON(parsing: "-9223372036854775809"), .double(-9_223_372_036_854_775_809.0))
        XCTAssertEqual(try JSON(parsing: "1" + String(repeating: "0", count: 40)), .double(1e40))
        XCTAssertEqual(try JSON(parsing: "1e308"), .double(1e308))
    }

    func testInvalidCorpus() {
        let corpus = [
            "", " ", "[", "]", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]",
            "[+1]", "NaN", "Infinity", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "[1 2]",
            "{\"a\" 1}", "{1:2}", "\"a\tb\"", "\"\u{1}\"", "1 2", "[1]x", "// c\n1", "1e400", "-1e400",
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "[\"a\",]",
        ]
        for text in corpus {
            XCTAssertThrowsError(try JSON(parsing: text), "accepted \(text.debugDescription)")
        }
    }

    func testInvalidUTF8IsRejected() {
        let samples: [[UInt8]] = [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x5B, 0x80, 0x5D],
        ]
        for bytes in samples {
            XCTAssertThrowsError(try JSON(parsing: bytes)) { error in
                XCTAssertEqual((error as? JSONParseError)?.kind, .invalidUTF8, "\(bytes)")
            }
        }
        XCTAssertEqual(try JSON(parsing: [0x22, 0xC3, 0xA9, 0x22]), "é")
    }

    func testErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try JSON(parsing: "{\n  \"a\": 1,\n  \"é\": x\n}")) { error in
            guard let error = error as? JSONParseError else { return XCTFail("wrong error type") }
            XCTAssertEqual(error.line, 3)
            XCTAssertEqual(error.column, 8)
            XCTAssertEqual(error.description, "unexpected character 'x' at line 3, column 8")
        }
        XCTAssertThrowsError(try JSON(parsing: "[1, 2")) { error in
            XCTAssertEqual("\(error)", "unexpected end of input at line 1, column 6")
        }
        XCTAssertThrowsError(try JSON(parsing: "{} {}")) { error in
            XCTAssertEqual("\(error)", "unexpected character '{' after the JSON value at line 1, column 4")
        }
    }

    func testDepthLimitFailsCleanly() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        XCTAssertNoThrow(try JSON(parsing: ok))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSON(parsing: deep)) { error in
            XCTAssertEqual((error as? JSONParseError)?.kind, .nestingTooDeep(limit: 128))
        }
        let objects = String(repeating: "{\"a\":", count: 10) + "1" + String(repeating: "}", count: 10)
        XCTAssertThrowsError(try JSON(parsing: objects, maxDepth: 9))
        XCTAssertNoThrow(try JSON(parsing: objects, maxDepth: 10))
    }

    func testDuplicateKeysKeepFirstPositionAndLastValue() throws {
        let value = try JSON(parsing: #"{"a": 1, "b": 2, "a": 3}"#)
        XCTAssertEqual(value.object?.keys, ["a", "b"])
        XCTAssertEqual(value["a"], 3)
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let big = try JSON(parsing: "{\(many), \"k7\": \"last\"}")
        XCTAssertEqual(big.object?.count, 40)
        XCTAssertEqual(big["k7"], "last")
        XCTAssertEqual(big["k39"], 39)
    }
}
