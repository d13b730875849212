import HTTPServer
import XCTest

/// Requests that are malformed or shaped for request smuggling: each must be refused with the
/// expected 4xx and the connection closed, and the server must keep serving afterwards.
final class MalformedRequestTests: XCTestCase {
    static let corpus: [(name: String, request: String, status: Int)] = [
        (
            "CL and TE together",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400
        ),
        (
            "TE and CL together",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
            400
        ),
        (
            "duplicate differing CL",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400
        ),
        ("CL list", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4, 5\r\n\r\nabcde", 400),
        ("negative CL", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        ("plus CL", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: +4\r\n\r\nabcd", 400),
        ("hex CL", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 0x4\r\n\r\nabcd", 400),
        ("empty CL", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400),
        (
            "TE chunked, identity",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400
        ),
        (
            "TE identity, chunked",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 400
        ),
        (
            "TE twice",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400
        ),
        ("TE gzip", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        (
            "TE with vertical tab",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\u{0B}chunked\r\n\r\n0\r\n\r\n", 400
        ),
        ("TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("obs-fold", "GET /healthz HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n  continued\r\n\r\n", 400),
        ("obs-fold with tab", "GET /healthz HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n\tcontinued\r\n\r\n", 400),
        ("space before colon", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length : 4\r\n\r\nabcd", 400),
        (
            "tab before colon",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n", 400
        ),
        ("bare LF line ends", "GET /healthz HTTP/1.1\nHost: h\n\n", 400),
        ("bare LF after headers", "GET /healthz HTTP/1.1\r\nHost: h\r\n\n", 400),
        ("bare CR inside a value", "GET /healthz HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400),
        ("NUL in a value", "GET /healthz HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", 400),
        ("NUL in the target", "GET /heal\u{0}thz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("encoded NUL in the path", "GET /healthz%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("bad escape in the path", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("truncated escape", "GET /a% HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("non-token method", "G@T /healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("empty method", " /healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("two spaces", "GET  /healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("lowercase version", "GET /healthz http/1.1\r\nHost: h\r\n\r\n", 400),
        ("missing version", "GET /healthz\r\nHost: h\r\n\r\n", 400),
        ("garbage version", "GET /healthz HTTP/1.x\r\nHost: h\r\n\r\n", 400),
        ("space in the target", "GET /health z HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("fragment in the target", "GET /healthz#x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("relative target", "GET healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("absolute-form with userinfo", "GET http://user@h/healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("absolute-form with empty authority", "GET http:///healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("absolute-form other scheme", "GET ftp://h/healthz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("missing Host on 1.1", "GET /healthz HTTP/1.1\r\n\r\n", 400),
        ("two Host fields", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("Host with a slash", "GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        ("field without colon", "GET /healthz HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
        ("empty field name", "GET /healthz HTTP/1.1\r\nHost: h\r\n: value\r\n\r\n", 400),
        (
            "chunk size not hex",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400
        ),
        (
            "chunk size with 0x",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", 400
        ),
        (
            "chunk size with space",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", 400
        ),
        (
            "negative chunk size",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n", 400
        ),
        (
            "overflowing chunk size",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
            400
        ),
        (
            "chunk data too long",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400
        ),
        (
            "chunk with bare LF",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400
        ),
        ("HTTP/2.0 version", "GET /healthz HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        (
            "unknown expectation",
            "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\nab", 417
        ),
        (
            "body over the limit",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413
        ),
    ]

    func testEveryMalformedRequestIsRefusedAndClosed() async throws {
        let (server, port) = try await makeTestServer(routes: standardRoutes)
        for entry in Self.corpus {
            let client = try RawClient(port: port)
            try client.send(entry.request)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, entry.status, entry.name)
            XCTAssertEqual(response.header("Connection"), "close", entry.name)
            XCTAssertTrue(client.waitForClose(), "\(entry.name): connection left open")
            let healthy = try get(port: port, "/healthz")
            XCTAssertEqual(healthy.status, 200, "after \(entry.name)")
        }
        XCTAssertGreaterThanOrEqual(Self.corpus.count, 30)
        await server.shutdown()
    }

    /// The bytes a smuggler hides after a refused request must never be answered as a request.
    func testNothingAfterARefusedRequestIsServed() async throws {
        let (server, port) = try await makeTestServer(routes: standardRoutes)
        let client = try RawClient(port: port)
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /hello/smuggled HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 400)
        XCTAssertTrue(client.waitForClose())
        XCTAssertFalse(String(decoding: client.leftover, as: UTF8.self).contains("smuggled"))
        await server.shutdown()
    }
}
