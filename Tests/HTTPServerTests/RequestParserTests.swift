import XCTest

@testable import HTTPServer

final class RequestParserTests: XCTestCase {
    private func parseAll(_ text: String, limits: ParserLimits = ParserLimits()) -> [ParserEvent] {
        var parser = RequestParser(limits: limits)
        parser.append(Array(text.utf8))
        return drain(&parser)
    }

    private func drain(_ parser: inout RequestParser) -> [ParserEvent] {
        var events: [ParserEvent] = []
        while true {
            let event = parser.next()
            if case .needMoreData = event { return events }
            events.append(event)
            if case .failure = event { return events }
        }
    }

    private func failureStatus(_ text: String, limits: ParserLimits = ParserLimits()) -> Int? {
        for event in parseAll(text, limits: limits) {
            if case .failure(let status) = event { return status.code }
        }
        return nil
    }

    private func requests(_ events: [ParserEvent]) -> [(HTTPRequest, Bool)] {
        events.compactMap { event in
            if case .request(let request, let keepAlive) = event { return (request, keepAlive) }
            return nil
        }
    }

    func testSimpleGet() throws {
        let parsed = requests(
            parseAll("GET /a%20b/c?x=1&y=two+words HTTP/1.1\r\nHost: h\r\nX-A:  v  \r\n\r\n"))
        XCTAssertEqual(parsed.count, 1)
        let (request, keepAlive) = try XCTUnwrap(parsed.first)
        XCTAssertEqual(request.method, .get)
        XCTAssertEqual(request.target, "/a%20b/c?x=1&y=two+words")
        XCTAssertEqual(request.path, "/a b/c")
        XCTAssertEqual(request.query["x"], "1")
        XCTAssertEqual(request.query["y"], "two words")
        XCTAssertEqual(request.headers["x-a"], "v")
        XCTAssertEqual(request.version, .http1_1)
        XCTAssertTrue(keepAlive)
    }

    /// Two requests split at every possible byte boundary must parse the same as whole.
    func testEverySplitPointGivesTheSameRequests() throws {
        let texts = [
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"
                + "\r\nGET /after HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let whole = requests(parseAll(text))
            XCTAssertEqual(whole.count, 2, text)
            for split in 0...bytes.count {
                var parser = RequestParser(limits: ParserLimits())
                parser.append(bytes[..<split])
                var events = drain(&parser)
                parser.append(bytes[split...])
                events += drain(&parser)
                let parsed = requests(events)
                XCTAssertEqual(parsed.count, 2, "split at \(split)")
                for (got, expected) in zip(parsed, whole) {
                    XCTAssertEqual(got.0.target, expected.0.target)
                    XCTAssertEqual(got.0.body, expected.0.body)
                    XCTAssertEqual(got.1, expected.1)
                }
            }
            // And one byte at a time.
            var parser = RequestParser(limits: ParserLimits())
            var events: [ParserEvent] = []
            for byte in bytes {
                parser.append([byte])
                events += drain(&parser)
            }
            XCTAssertEqual(requests(events).map(\.0.body), whole.map(\.0.body))
        }
    }

    func testChunkedBodyAndTrailersIgnored() throws {
        let parsed = requests(
            parseAll(
                "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
                    + "A\r\n0123456789\r\n1;name=\"v\"\r\nx\r\n0\r\nExpires: never\r\n\r\n"))
        XCTAssertEqual(parsed.first?.0.bodyText, "0123456789x")
        XCTAssertNil(parsed.first?.0.headers["Expires"])
    }

    func testKeepAliveRules() {
        XCTAssertEqual(requests(parseAll("GET / HTTP/1.0\r\n\r\n")).first?.1, false)
        XCTAssertEqual(requests(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).first?.1, true)
        XCTAssertEqual(
            requests(parseAll("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")).first?.1, false)
        XCTAssertEqual(
            requests(parseAll("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade, Close\r\n\r\n")).first?.1,
            false)
    }

    func testExpectContinueIsAnnouncedBeforeTheBody() {
        var parser = RequestParser(limits: ParserLimits())
        parser.append(
            Array("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .sendContinue = parser.next() else { return XCTFail("expected sendContinue") }
        guard case .needMoreData = parser.next() else { return XCTFail("expected needMoreData") }
        parser.append(Array("abc".utf8))
        guard case .request(let request, _) = parser.next() else { return XCTFail("expected request") }
        XCTAssertEqual(request.bodyText, "abc")
        XCTAssertEqual(
            failureStatus("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 3\r\n\r\n"), 417)
    }

    func testLimitsGiveTheirStatuses() {
        let limits = ParserLimits(
            maxRequestLineSize: 64, maxHeaderSize: 128, maxHeaderCount: 5, maxBodySize: 10)
        XCTAssertEqual(
            failureStatus("GET /\(String(repeating: "a", count: 100)) HTTP/1.1\r\n", limits: limits), 414)
        // Even before the line ends, a request line past the limit is refused.
        XCTAssertEqual(failureStatus("GET /\(String(repeating: "a", count: 100))", limits: limits), 414)
        let bigHeader = "X-Big: \(String(repeating: "b", count: 200))\r\n"
        XCTAssertEqual(failureStatus("GET / HTTP/1.1\r\nHost: h\r\n\(bigHeader)\r\n", limits: limits), 431)
        XCTAssertEqual(failureStatus("GET / HTTP/1.1\r\nHost: h\r\n\(bigHeader)", limits: limits), 431)
        let manyHeaders = (0..<6).map { "X-\($0): 1\r\n" }.joined()
        XCTAssertEqual(failureStatus("GET / HTTP/1.1\r\nHost: h\r\n\(manyHeaders)\r\n", limits: limits), 431)
        XCTAssertEqual(
            failureStatus("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits), 413)
        XCTAssertEqual(
            failureStatus(
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n",
                limits: limits),
            413)
        XCTAssertNil(
            failureStatus(
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits))
    }

    func testLeadingEmptyLinesAreSkipped() {
        XCTAssertEqual(requests(parseAll("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")).count, 1)
    }

    func testSmugglingShapesAreRefused() {
        let cases = [
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length : 3\r\n\r\n",
            "GET / HTTP/1.1\nHost: h\n\n",
            "GET / HTTP/1.1\r\nHost: h\r\n\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        ]
        for text in cases {
            XCTAssertEqual(failureStatus(text), 400, text.debugDescription)
        }
        XCTAssertEqual(
            failureStatus("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
            nil,
            "identical duplicates are tolerated")
    }
}
