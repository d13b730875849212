import HTTPServer
import XCTest

final class ServerTests: XCTestCase {
    private var server: HTTPServer!
    private var port = 0

    override func setUp() async throws {
        (server, port) = try await makeTestServer(routes: { router in
            standardRoutes(router)
            router.post("/form") { request, _ in
                .text(request.formFields.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ";"))
            }
            router.get("/cookies") { request, _ in
                .text(
                    request.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                        separator: ";"))
            }
        })
    }

    override func tearDown() async throws {
        await server.shutdown()
    }

    func testKeepAliveServesManyRequestsOnOneConnection() throws {
        let client = try RawClient(port: port)
        for index in 0..<5 {
            try client.send("GET /hello/\(index) HTTP/1.1\r\nHost: h\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.text, "hello \(index)")
            XCTAssertNil(response.header("Connection"))
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let client = try RawClient(port: port)
        try client.send(
            "GET /slow?ms=150 HTTP/1.1\r\nHost: h\r\n\r\nGET /hello/second HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nthird")
        XCTAssertEqual(try client.readResponse().text, "slow done")
        XCTAssertEqual(try client.readResponse().text, "hello second")
        XCTAssertEqual(try client.readResponse().text, "third")
    }

    func testChunkedRequestBody() throws {
        let response = try fetch(
            port: port,
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=x\r\n, world\r\n0\r\nX-Trailer: ignored\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "hello, world")
    }

    func testExpectContinueIsSentBeforeTheBodyIsRead() throws {
        let client = try RawClient(port: port)
        try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try client.readResponse()
        XCTAssertEqual(interim.status, 100)
        try client.send("body")
        let final = try client.readResponse()
        XCTAssertEqual(final.status, 200)
        XCTAssertEqual(final.text, "body")
    }

    func testExpectContinueWithATooLargeBodyGets413WithoutContinue() throws {
        let client = try RawClient(port: port)
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 413)
        XCTAssertTrue(client.waitForClose())
    }

    func testHeadGetsTheGETContentLengthAndNoBody() throws {
        let client = try RawClient(port: port)
        try client.send("HEAD /hello/world HTTP/1.1\r\nHost: h\r\n\r\n")
        let head = try client.readResponse(head: true)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("Content-Length"), "11")
        // If a body had been sent, it would be read here as the next status line.
        try client.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "ok")
    }

    func testHTTP10ClosesUnlessAskedToKeepAlive() throws {
        let closing = try RawClient(port: port)
        try closing.send("GET /healthz HTTP/1.0\r\n\r\n")
        let first = try closing.readResponse()
        XCTAssertEqual(first.header("Connection"), "close")
        XCTAssertTrue(closing.waitForClose())

        let keeping = try RawClient(port: port)
        try keeping.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(try keeping.readResponse().header("Connection"), "keep-alive")
        try keeping.send("GET /hello/again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(try keeping.readResponse().text, "hello again")
    }

    func testConnectionCloseIsHonoured() throws {
        let client = try RawClient(port: port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(try client.readResponse().header("Connection"), "close")
        XCTAssertTrue(client.waitForClose())
    }

    func testLimitsOverSockets() throws {
        let tooLong = try get(port: port, "/" + String(repeating: "a", count: 9000))
        XCTAssertEqual(tooLong.status, 414)
        let bigHeaders = try get(
            port: port, "/healthz", headers: "X-Big: \(String(repeating: "b", count: 17000))\r\n")
        XCTAssertEqual(bigHeaders.status, 431)
        let client = try RawClient(port: port)
        try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 413)
        XCTAssertTrue(client.waitForClose())
        // A body of exactly the limit is accepted.
        let exact = try RawClient(port: port)
        try exact.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\n")
        try exact.send([UInt8](repeating: 0x7A, count: 1_048_576))
        let accepted = try exact.readResponse()
        XCTAssertEqual(accepted.status, 200)
        XCTAssertEqual(accepted.body.count, 1_048_576)
    }

    func testChunkedBodyOverTheLimitGets413() throws {
        let client = try RawClient(port: port)
        try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "80000\r\n" + String(repeating: "x", count: 0x80000) + "\r\n"
        try client.send(chunk + chunk + chunk)
        XCTAssertEqual(try client.readResponse().status, 413)
    }

    func testDateAndContentLengthHeaders() throws {
        let response = try get(port: port, "/healthz")
        XCTAssertEqual(response.header("Content-Length"), "2")
        let date = try XCTUnwrap(response.header("Date"))
        XCTAssertTrue(date.hasSuffix(" GMT"), date)
        XCTAssertEqual(date.count, 29, date)
    }

    func testPercentDecodedPathAndQuery() throws {
        XCTAssertEqual(try get(port: port, "/path").text, "/path")
        XCTAssertEqual(try get(port: port, "/hello/J%C3%BCrgen%20M").text, "hello Jürgen M")
        XCTAssertEqual(try get(port: port, "/query?a=1&b=x+y&c=%26%3D&a=2").text, "a=1;b=x y;c=&=;a=2")
        XCTAssertEqual(try get(port: port, "http://localhost/hello/absolute").text, "hello absolute")
    }

    func testFormFieldsAndCookies() throws {
        let form = try fetch(
            port: port,
            "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 28\r\n\r\nname=Ada+Lovelace&x=%C3%A9&y")
        XCTAssertEqual(form.text, "name=Ada Lovelace;x=é;y=")
        let cookies = try get(port: port, "/cookies", headers: "Cookie: b=2; a=\"1\"; b=3\r\n")
        XCTAssertEqual(cookies.text, "a=1;b=2")
    }

    func testLargeResponsesSurvivePartialWrites() throws {
        let client = try RawClient(port: port)
        try client.send(
            "GET /big?size=8000000 HTTP/1.1\r\nHost: h\r\n\r\nGET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        let big = try client.readResponse()
        XCTAssertEqual(big.body.count, 8_000_000)
        XCTAssertTrue(big.body.allSatisfy { $0 == 0x61 })
        XCTAssertEqual(try client.readResponse().text, "ok")
    }

    /// Many pipelined large responses: the server pauses parsing while its output is backed up
    /// and resumes as the client reads, delivering all of them in order.
    func testPipelinedLargeResponsesWithBackpressure() throws {
        let client = try RawClient(port: port)
        var requests = ""
        for index in 0..<20 { requests += "GET /big?size=\(300_000 + index) HTTP/1.1\r\nHost: h\r\n\r\n" }
        try client.send(requests)
        Thread.sleep(forTimeInterval: 0.2)
        for index in 0..<20 {
            XCTAssertEqual(try client.readResponse().body.count, 300_000 + index)
        }
    }

    func testHalfClosedClientStillGetsItsResponse() throws {
        let client = try RawClient(port: port)
        try client.send("GET /slow?ms=50 HTTP/1.1\r\nHost: h\r\n\r\n")
        client.shutdownWrite()
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "slow done")
        XCTAssertEqual(response.header("Connection"), "close")
        XCTAssertTrue(client.waitForClose())
    }

    func testBoundPortIsReported() async throws {
        XCTAssertEqual(server.port, port)
        XCTAssertNotEqual(port, 0)
    }
}
