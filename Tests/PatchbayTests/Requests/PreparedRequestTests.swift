import JSON
import Patchbay
import XCTest

final class PreparedRequestTests: XCTestCase {
    func testSetHeaderReplacesEveryLineOfThatName() {
        var request = PreparedRequest(
            method: "GET", url: "https://h.example/",
            headers: [
                .init(name: "accept", value: "a"), .init(name: "X", value: "1"),
                .init(name: "Accept", value: "b"),
            ])
        request.setHeader("ACCEPT", "c")
        XCTAssertEqual(request.headers, [.init(name: "accept", value: "c"), .init(name: "X", value: "1")])
        request.setHeader("New", "n")
        XCTAssertEqual(request.header("new"), "n")
    }

    func testSummaryKeepsJSONBodiesAndCutsLongText() {
        let json = PreparedRequest(
            method: "POST", url: "https://h.example/",
            headers: [.init(name: "A", value: "1"), .init(name: "A", value: "2")],
            body: Array(#"{"x":1}"#.utf8))
        XCTAssertEqual(
            json.summary(),
            ["method": "POST", "url": "https://h.example/", "headers": ["A": "1, 2"], "body": ["x": 1]])
        let text = PreparedRequest(method: "PUT", url: "https://h.example/", body: Array("héllo world".utf8))
        XCTAssertEqual(text.summary()["body"], "héllo world")
        let cut = text.summary(maxBodyBytes: 2)
        XCTAssertEqual(cut["body"], "h\u{FFFD}")
        XCTAssertEqual(cut["body_truncated"], true)
        XCTAssertNil(PreparedRequest(method: "GET", url: "https://h.example/").summary()["body"])
    }
}
