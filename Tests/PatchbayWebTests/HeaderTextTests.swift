import XCTest

@testable import PatchbayWeb

/// The byte-level header helpers every API request goes through.
final class HeaderTextTests: XCTestCase {
    func testTrimmingSpacesAndTabsOnly() {
        XCTAssertEqual(HeaderText.trimmingSpaces(" \t pb_abc \t"), "pb_abc")
        XCTAssertEqual(HeaderText.trimmingSpaces("pb_abc"), "pb_abc")
        XCTAssertEqual(HeaderText.trimmingSpaces("  "), "")
        XCTAssertEqual(HeaderText.trimmingSpaces(""), "")
        XCTAssertEqual(HeaderText.trimmingSpaces(" a b "), "a b", "inner spaces stay")
        XCTAssertEqual(HeaderText.trimmingSpaces(" é\u{301} "), "é\u{301}")
    }

    func testJSONMediaTypes() {
        for type in [
            "application/json", "Application/JSON", " application/json ; charset=utf-8",
            "application/problem+json", "application/vnd.api+JSON;v=1",
        ] {
            XCTAssertTrue(JSONContentTypeMiddleware.isJSON(type), type)
        }
        for type in [
            "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "json", "", "+json",
            "text/+json", "application/json+xml",
        ] {
            XCTAssertFalse(JSONContentTypeMiddleware.isJSON(type), type)
        }
    }
}
