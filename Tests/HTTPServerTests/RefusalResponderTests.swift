import HTTPServer
import Synchronization
import XCTest

@testable import HTTPServer

/// The hook that lets an app answer the requests the server refuses by itself in its own format.
final class RefusalResponderTests: XCTestCase {
    func testTheParserRemembersThePathOfARefusedRequest() {
        var parser = RequestParser(limits: ParserLimits(maxBodySize: 4))
        parser.append(Array("POST /api/x%20y?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n".utf8))
        guard case .failure(let status) = parser.next() else { return XCTFail("expected a refusal") }
        XCTAssertEqual(status.code, 413)
        XCTAssertEqual(parser.pathInProgress, "/api/x y")

        var chunked = RequestParser(limits: ParserLimits(maxBodySize: 4))
        chunked.append(
            Array("POST /api/c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n".utf8))
        guard case .failure(let chunkedStatus) = chunked.next() else { return XCTFail("expected a refusal") }
        XCTAssertEqual(chunkedStatus.code, 413)
        XCTAssertEqual(chunked.pathInProgress, "/api/c")

        var garbled = RequestParser(limits: ParserLimits())
        garbled.append(Array("GET  /api HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .failure = garbled.next() else { return XCTFail("expected a refusal") }
        XCTAssertNil(garbled.pathInProgress, "no path when the request line itself is refused")
    }

    func testTheResponderAnswersRefusalsAndKeepsTheStatusAndTheClose() async throws {
        let seen = Mutex<[RefusedRequest]>([])
        let (server, port) = try await makeTestServer(
            configure: {
                $0.maxBodySize = 16
                $0.refusalResponder = { refused in
                    seen.withLock { $0.append(refused) }
                    guard refused.path?.hasPrefix("/api/") == true else { return nil }
                    // A status other than the refusal's is ignored: the server's status wins.
                    return .json(Array(#"{"id":"\#(refused.requestID)"}"#.utf8), status: .ok)
                }
            }, routes: standardRoutes)
        let (api, page) = try await onThread {
            let api = try fetch(
                port: port, "POST /api/v1/x HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n")
            let page = try fetch(port: port, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n")
            return (api, page)
        }
        XCTAssertEqual(api.status, 413)
        XCTAssertEqual(api.header("Content-Type"), "application/json")
        XCTAssertEqual(api.header("Connection"), "close")
        XCTAssertEqual(page.status, 413)
        XCTAssertEqual(page.text, "Content Too Large\n", "nil keeps the plain answer")
        let refusals = seen.withLock { $0 }
        XCTAssertEqual(refusals.map(\.path), ["/api/v1/x", "/echo"])
        XCTAssertEqual(api.text, #"{"id":"\#(refusals[0].requestID)"}"#)
        XCTAssertNotEqual(refusals[0].requestID, refusals[1].requestID)
        await server.shutdown()
    }
}
