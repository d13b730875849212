import XCTest

@testable import Postgres

/// The text-format codecs, byte by byte, without a server.
final class TextFormatTests: XCTestCase {
    private func bytes(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    func testArrayLiteralParsesQuotingEscapesAndNull() throws {
        let parsed = try ArrayLiteral.parse(
            bytes(#"{plain,"with space","q\"uote","back\\slash",NULL,"NULL",""}"#))
        let strings = parsed.map { $0.map { String(decoding: $0, as: UTF8.self) } }
        XCTAssertEqual(strings, ["plain", "with space", "q\"uote", "back\\slash", nil, "NULL", ""])
        XCTAssertEqual(try ArrayLiteral.parse(bytes("{}")).count, 0)
        XCTAssertEqual(try ArrayLiteral.parse(bytes("[0:1]={7,8}")).count, 2)
        XCTAssertThrowsError(try ArrayLiteral.parse(bytes("{{1,2},{3,4}}")))
        XCTAssertThrowsError(try ArrayLiteral.parse(bytes("{\"open}")))
        XCTAssertThrowsError(try ArrayLiteral.parse(bytes("plain")))
    }

    func testArrayLiteralFormatRoundTrips() throws {
        let values: [PostgresValue] = [
            .text("a,b", type: .text), .null, .text("say \"hi\" \\ bye", type: .text), .text("", type: .text),
        ]
        let text = ArrayLiteral.format(values)
        XCTAssertEqual(text, #"{"a,b",NULL,"say \"hi\" \\ bye",""}"#)
        let parsed = try ArrayLiteral.parse(bytes(text)).map {
            $0.map { String(decoding: $0, as: UTF8.self) }
        }
        XCTAssertEqual(parsed, ["a,b", nil, "say \"hi\" \\ bye", ""])
    }

    func testTimestampFormatAndParse() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        XCTAssertEqual(PostgresTimestamp.format(date), "2023-11-14 22:13:20.123456+00")
        XCTAssertEqual(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01 00:00:00+00")
        XCTAssertEqual(PostgresTimestamp.format(Date(timeIntervalSince1970: -1)), "1969-12-31 23:59:59+00")

        let parsed = try XCTUnwrap(PostgresTimestamp.parse(bytes("2023-11-14 22:13:20.123456+00")))
        XCTAssertEqual(parsed.timeIntervalSince1970, 1_700_000_000.123456, accuracy: 1e-6)
        let offset = try XCTUnwrap(PostgresTimestamp.parse(bytes("2023-11-15 03:43:20+05:30")))
        XCTAssertEqual(offset.timeIntervalSince1970, 1_700_000_000, accuracy: 1e-6)
        let dateOnly = try XCTUnwrap(PostgresTimestamp.parse(bytes("2000-03-01")))
        XCTAssertEqual(dateOnly.timeIntervalSince1970, 951_868_800)
        XCTAssertEqual(PostgresTimestamp.parse(bytes("infinity")), .distantFuture)
        XCTAssertEqual(PostgresTimestamp.parse(bytes("-infinity")), .distantPast)
        let bc = try XCTUnwrap(PostgresTimestamp.parse(bytes("0044-03-15 12:00:00+00 BC")))
        XCTAssertEqual(PostgresTimestamp.format(bc), "0044-03-15 12:00:00+00 BC")
        XCTAssertNil(PostgresTimestamp.parse(bytes("2023-13-01 00:00:00+00")))
        XCTAssertNil(PostgresTimestamp.parse(bytes("11/14/2023")))
    }

    func testByteaTextFormats() {
        XCTAssertEqual(ByteaText.hex([0, 1, 0xAB, 0xFF]), "\\x0001abff")
        XCTAssertEqual(ByteaText.decode(bytes("\\x0001abff")), [0, 1, 0xAB, 0xFF])
        XCTAssertEqual(ByteaText.decode(bytes("\\x")), [])
        XCTAssertEqual(ByteaText.decode(bytes("a\\000\\\\b\\377")), [97, 0, 92, 98, 255])
        XCTAssertNil(ByteaText.decode(bytes("\\x0")))
        XCTAssertNil(ByteaText.decode(bytes("\\xzz")))
    }

    func testIntegerParsing() {
        XCTAssertEqual(parseInteger(bytes("-9223372036854775808")), Int64.min)
        XCTAssertEqual(parseInteger(bytes("9223372036854775807")), Int64.max)
        XCTAssertNil(parseInteger(bytes("9223372036854775808")))
        XCTAssertNil(parseInteger(bytes("12a")))
        XCTAssertNil(parseInteger(bytes("-")))
    }

    func testConnectionParametersDefaultTheTimeoutAndEncoding() throws {
        let config = try PostgresConfiguration(url: "postgresql://u:pw@h/db?application_name=x")
        let keys = config.libpqParameters.map(\.0)
        XCTAssertTrue(keys.contains("connect_timeout"))
        XCTAssertTrue(keys.contains("client_encoding"))
        XCTAssertEqual(config.redact("failed for pw at pw"), "failed for *** at ***")
        let explicit = try PostgresConfiguration(url: "postgresql://h/db?connect_timeout=3")
        XCTAssertEqual(explicit.libpqParameters.filter { $0.0 == "connect_timeout" }.map(\.1), ["3"])
    }
}
