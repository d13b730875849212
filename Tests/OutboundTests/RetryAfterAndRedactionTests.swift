import XCTest

@testable import Outbound

final class RetryAfterAndRedactionTests: XCTestCase {
    func testRetryAfterSeconds() {
        XCTAssertEqual(RetryAfter.delay(from: "120", now: 0), .seconds(120))
        XCTAssertEqual(RetryAfter.delay(from: " 0 ", now: 0), .zero)
        XCTAssertNil(RetryAfter.delay(from: "-5", now: 0))
        XCTAssertNil(RetryAfter.delay(from: "soon", now: 0))
        XCTAssertNil(RetryAfter.delay(from: "", now: 0))
    }

    func testRetryAfterDates() {
        // 1994-11-06 08:49:37 UTC is 784111777 seconds after 1970.
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        ] {
            XCTAssertEqual(RetryAfter.httpDate(form), 784_111_777, form)
        }
        XCTAssertEqual(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 GMT"), 1_445_412_480)
        XCTAssertEqual(RetryAfter.httpDate("Thu, 29 Feb 2024 00:00:00 GMT"), 1_709_164_800)
        XCTAssertEqual(
            RetryAfter.delay(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_470), .seconds(10))
        XCTAssertEqual(RetryAfter.delay(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_490), .zero)
        XCTAssertNil(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 PST"))
        XCTAssertNil(RetryAfter.httpDate("Wed, 21 Foo 2015 07:28:00 GMT"))
        XCTAssertNil(RetryAfter.httpDate("Wed, 21 Oct 2015 25:28:00 GMT"))
    }

    func testRedactedURL() {
        XCTAssertEqual(
            redactedURL("https://user:pw@api.test:8443/v1/items?token=abc#frag"),
            "https://api.test:8443/v1/items")
        XCTAssertEqual(redactedURL("http://api.test/path"), "http://api.test/path")
        XCTAssertEqual(redactedURL("http://user:pw@[::1/x?y"), "(URL)")
        XCTAssertEqual(redactedURL("garbage?secret"), "garbage")
    }

    func testServerTextIsPrintableShortAndRedacted() {
        XCTAssertEqual(serverText("a\u{1}b\r\nc"), "a b  c")
        XCTAssertEqual(serverText(String(repeating: "x", count: 300), limit: 10), "xxxxxxxxxx…")
        XCTAssertEqual(serverText("bad password hunter22", secrets: ["hunter22"]), "bad password [redacted]")
    }

    func testProtocolEncodings() {
        XCTAssertEqual(
            String(decoding: RedisCheck.command(["AUTH", "pw"]), as: UTF8.self),
            "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n")
        XCTAssertEqual(MQTTCheck.remainingLength(0), [0])
        XCTAssertEqual(MQTTCheck.remainingLength(127), [0x7f])
        XCTAssertEqual(MQTTCheck.remainingLength(128), [0x80, 0x01])
        XCTAssertEqual(MQTTCheck.remainingLength(16_383), [0xff, 0x7f])
        let kafka = KafkaCheck.request()
        XCTAssertEqual(Array(kafka[0..<4]), [0, 0, 0, UInt8(kafka.count - 4)])
        XCTAssertEqual(Array(kafka[4..<8]), [0, 18, 0, 0])
        XCTAssertEqual(NATSCheck.stringField("version", in: #"{"version": "2.1", "x":1}"#), "2.1")
        XCTAssertNil(NATSCheck.stringField("proto", in: #"{"proto":1}"#))
    }
}
