import XCTest

@testable import HTTPServer

final class CoreTypesTests: XCTestCase {
    func testPercentDecoding() {
        XCTAssertEqual(PercentEncoding.decode("a%20b%2Fc"), "a b/c")
        XCTAssertEqual(PercentEncoding.decode("a+b"), "a+b")
        XCTAssertEqual(PercentEncoding.decode("a+b", plusAsSpace: true), "a b")
        XCTAssertNil(PercentEncoding.decode("%zz"))
        XCTAssertNil(PercentEncoding.decode("%C3"), "truncated UTF-8 is refused")
        XCTAssertEqual(PercentEncoding.encode("a b&c=é"), "a%20b%26c%3D%C3%A9")
    }

    func testQueryAndFormParsing() {
        let query = HTTPQuery(encoded: Array("tag=a&tag=b&empty&n=5&x=%2B+1".utf8))
        XCTAssertEqual(query.values(for: "tag"), ["a", "b"])
        XCTAssertEqual(query["empty"], "")
        XCTAssertEqual(query.get("n", as: Int.self), 5)
        XCTAssertEqual(query["x"], "+ 1")
        XCTAssertNil(query["missing"])
        var request = HTTPRequest(
            method: .post, target: "/f",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Array("a=1+2&b=%3D".utf8))
        XCTAssertEqual(request.formFields["a"], "1 2")
        XCTAssertEqual(request.formFields["b"], "=")
        request.headers["Content-Type"] = "application/json"
        XCTAssertTrue(request.formFields.isEmpty)
    }

    func testCookies() {
        let request = HTTPRequest(
            method: .get, target: "/",
            headers: HTTPHeaders([("Cookie", "session=abc; theme=\"dark\""), ("cookie", "x=1")]))
        XCTAssertEqual(request.cookies, ["session": "abc", "theme": "dark", "x": "1"])
    }

    func testHeadersAreOrderedAndCaseInsensitive() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        headers.add(name: "Set-Cookie", value: "a=1")
        headers.add(name: "set-cookie", value: "b=2")
        XCTAssertEqual(headers["content-type"], "text/plain")
        XCTAssertEqual(headers.values(for: "SET-COOKIE"), ["a=1", "b=2"])
        headers["Set-Cookie"] = nil
        XCTAssertFalse(headers.contains("set-cookie"))
        XCTAssertEqual(headers.count, 1)
    }

    func testHTTPDateRoundTrip() {
        XCTAssertEqual(HTTPDate.format(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
        XCTAssertNil(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT"))
    }

    func testResponseHeadEncodingOwnsFraming() {
        var out: [UInt8] = []
        let response = HTTPResponse(
            status: .ok, headers: ["Content-Length": "999", "X-Evil": "a\r\nInjected: yes"],
            body: Array("hi".utf8))
        let sendBody = ResponseEncoder.encodeHead(
            response, into: &out, dateLine: Array("Date: x\r\n".utf8),
            options: .init(isHeadRequest: false, close: true, confirmKeepAlive: false))
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(sendBody)
        XCTAssertEqual(
            text,
            "HTTP/1.1 200 OK\r\nX-Evil: aInjected: yes\r\nContent-Length: 2\r\nDate: x\r\nConnection: close\r\n\r\n"
        )
    }

    func testStaticPathSafety() {
        XCTAssertEqual(StaticFiles.safeRelativePath("css/app.css"), "css/app.css")
        XCTAssertEqual(StaticFiles.safeRelativePath("a%20b.txt"), "a b.txt")
        for bad in ["..", "a/../b", "%2e%2e/x", "a%2fb", "a%5cb", ".env", "a%00", "%2E"] {
            XCTAssertNil(StaticFiles.safeRelativePath(Substring(bad)), bad)
        }
    }
}

extension CoreTypesTests {
    func testSetCookie() {
        var response = HTTPResponse.text("x")
        response.setCookie("session", "abc", maxAge: 60, secure: true)
        response.setCookie("theme", "dark", httpOnly: false, sameSite: nil)
        XCTAssertEqual(
            response.headers.values(for: "set-cookie"),
            ["session=abc; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax", "theme=dark; Path=/"])
    }
}
