import XCTest

@testable import Outbound

/// Every test runs twice: on transfer threads, and driven by a waiter (`HTTPClientOnLoopTests`).
class HTTPClientTests: XCTestCase {
    var server: FakeHTTPServer!
    let recorder = NetworkRecorder()

    override func setUpWithError() throws {
        server = try FakeHTTPServer()
    }

    override func tearDown() {
        server.stop()
    }

    /// Where the tests' transfers are driven from; nil: transfer threads.
    var loop: LoopTransfers? { nil }

    func client(allow: String = "127.0.0.1") throws -> OutboundHTTPClient {
        OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: allow), network: recorder.network, loop: loop)
    }

    func testGetReturnsStatusHeadersBodyAndTiming() async throws {
        let request = OutboundHTTPRequest(
            url: server.url("/echo?x=1"), headers: ["X-Custom": "one", "Accept": "text/plain"])
        let response = try await client().send(request)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["x-echo"], "yes")
        XCTAssertEqual(response.headers.values(for: "X-ECHO"), ["yes", "twice"])
        XCTAssertTrue(response.text.hasPrefix("GET /echo?x=1 HTTP/1.1\r\n"), response.text)
        XCTAssertTrue(response.text.contains("X-Custom: one\r\n"))
        XCTAssertTrue(response.text.contains("User-Agent: Patchbay\r\n"))
        XCTAssertEqual(response.remoteIP, "127.0.0.1")
        XCTAssertEqual(response.finalURL, server.url("/echo?x=1"))
        XCTAssertEqual(response.redirectCount, 0)
        XCTAssertGreaterThan(response.timing.total, .zero)
        XCTAssertGreaterThanOrEqual(response.timing.total, response.timing.connect)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(server.port)"])
    }

    func testPostSendsBodyWithoutCurlDefaults() async throws {
        let request = OutboundHTTPRequest(
            method: "POST", url: server.url("/echo"), body: Array("hello=1".utf8))
        let response = try await client().send(request)
        XCTAssertTrue(response.text.hasPrefix("POST /echo HTTP/1.1\r\n"), response.text)
        XCTAssertTrue(response.text.contains("Content-Length: 7\r\n"))
        XCTAssertTrue(response.text.hasSuffix("\r\n\r\nhello=1"))
        XCTAssertFalse(response.text.contains("Expect:"))
        XCTAssertFalse(response.text.contains("Content-Type:"))
    }

    func testOtherMethodsAndEmptyHeaderValues() async throws {
        let put = OutboundHTTPRequest(
            method: "PUT", url: server.url("/echo"),
            headers: ["Content-Type": "application/json", "X-Empty": ""],
            body: Array("{}".utf8))
        let response = try await client().send(put)
        XCTAssertTrue(response.text.hasPrefix("PUT /echo HTTP/1.1\r\n"), response.text)
        XCTAssertTrue(response.text.contains("Content-Type: application/json\r\n"))
        XCTAssertTrue(response.text.contains("X-Empty:"))
        let delete = try await client().send(OutboundHTTPRequest(method: "DELETE", url: server.url("/echo")))
        XCTAssertTrue(delete.text.hasPrefix("DELETE /echo HTTP/1.1\r\n"), delete.text)
        let head = try await client().send(OutboundHTTPRequest(method: "HEAD", url: server.url("/large/10")))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, [])
    }

    func testStatusCodesAreResponsesNotErrors() async throws {
        let response = try await client().send(OutboundHTTPRequest(url: server.url("/status/418")))
        XCTAssertEqual(response.status, 418)
        XCTAssertEqual(response.text, "status 418")
        let retry = try await client().send(OutboundHTTPRequest(url: server.url("/retry")))
        XCTAssertEqual(retry.status, 503)
        XCTAssertEqual(
            retry.headers["Retry-After"].flatMap { RetryAfter.delay(from: $0, now: 0) }, .seconds(7))
    }

    func testSlowServerTimesOut() async throws {
        let started = ContinuousClock.now
        let request = OutboundHTTPRequest(url: server.url("/slow/3000"), timeout: .milliseconds(300))
        let error = await outboundError { try await self.client().send(request) }
        XCTAssertEqual(error, .timeout(after: .milliseconds(300)))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(error?.description, "no answer within 0.3 s")
    }

    func testRefusedPort() async throws {
        let port = try TestSocket.refusedPort()
        let error = await outboundError {
            try await self.client().send(OutboundHTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        XCTAssertEqual(error, .connectionRefused(host: "127.0.0.1", port: port))
    }

    func testUnknownHostIsDNSFailure() async throws {
        let error = await outboundError {
            try await self.client().send(OutboundHTTPRequest(url: "http://nothing-here.invalid/"))
        }
        XCTAssertEqual(error, .dnsFailure(host: "nothing-here.invalid"))
        XCTAssertEqual(recorder.connects, [])
    }

    func testLocalhostNeedsTheAllowList() async throws {
        let request = OutboundHTTPRequest(url: server.url("/echo", host: "localhost"))
        let error = await outboundError { try await self.client(allow: "").send(request) }
        XCTAssertEqual(error, .addressNotAllowed(host: "localhost", address: "127.0.0.1", reason: "loopback"))
        XCTAssertEqual(recorder.connects, [])
        XCTAssertEqual(server.connectionCount, 0)

        let byAddress = try await client(allow: "127.0.0.1").send(request)
        XCTAssertEqual(byAddress.status, 200)
        let byName = try await client(allow: "localhost").send(request)
        XCTAssertEqual(byName.status, 200)
        XCTAssertTrue(byName.text.contains("Host: localhost:\(server.port)\r\n"))
    }

    func testInternalAddressesAreRefusedBeforeAnyConnection() async throws {
        let recorder = NetworkRecorder(fakeAnswers: ["metadata.test": [.v4(0xA9FE_A9FE)]])
        let client = OutboundHTTPClient(policy: OutboundPolicy(), network: recorder.network)
        let cases: [(String, OutboundError)] = [
            (
                "http://10.0.0.1/",
                .addressNotAllowed(host: "10.0.0.1", address: "10.0.0.1", reason: "private network")
            ),
            (
                "http://169.254.169.254/latest/meta-data/",
                .addressNotAllowed(
                    host: "169.254.169.254", address: "169.254.169.254", reason: "cloud metadata service")
            ),
            (
                "http://metadata.test/computeMetadata/v1/",
                .addressNotAllowed(
                    host: "metadata.test", address: "169.254.169.254", reason: "cloud metadata service")
            ),
            (
                "http://[::ffff:10.0.0.1]/",
                .addressNotAllowed(
                    host: "::ffff:10.0.0.1", address: "::ffff:10.0.0.1", reason: "private network")
            ),
        ]
        for (url, expected) in cases {
            let error = await outboundError { try await client.send(OutboundHTTPRequest(url: url)) }
            XCTAssertEqual(error, expected, url)
        }
        XCTAssertEqual(recorder.lookups, ["metadata.test"])
        XCTAssertEqual(recorder.connects, [])
    }

    /// Other spellings of 127.0.0.1 (decimal, hex, octal, short, IPv4-mapped) are refused too.
    func testNumericHostSpellingsAreRefused() async throws {
        let port = server.port
        let spellings = [
            "2130706433", "0x7f000001", "0x7f.1", "127.1", "0177.0.0.1", "[::ffff:127.0.0.1]",
            "[::ffff:7f00:1]",
        ]
        for host in spellings {
            let error = await outboundError {
                try await self.client(allow: "").send(OutboundHTTPRequest(url: "http://\(host):\(port)/echo"))
            }
            guard case .addressNotAllowed(_, let address, "loopback") = error else {
                XCTFail("\(host): \(String(describing: error))")
                continue
            }
            XCTAssertTrue(["127.0.0.1", "::ffff:127.0.0.1"].contains(address), "\(host) -> \(address)")
        }
        XCTAssertEqual(recorder.connects, [])
        XCTAssertEqual(server.connectionCount, 0)
    }

    func testTLSFailureIsClassified() async throws {
        // The fake server speaks plain HTTP, so the handshake fails.
        let error = await outboundError {
            try await self.client().send(
                OutboundHTTPRequest(url: "https://127.0.0.1:\(self.server.port)/echo"))
        }
        guard case .tlsError(let detail) = error else { return XCTFail(String(describing: error)) }
        XCTAssertFalse(detail.isEmpty)
    }

    func testRedirectIsFollowed() async throws {
        let response = try await client().send(OutboundHTTPRequest(url: server.url("/redirect/echo")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.redirectCount, 1)
        XCTAssertEqual(response.finalURL, server.url("/echo"))
        XCTAssertTrue(response.text.hasPrefix("GET /echo HTTP/1.1"))
    }

    func testRedirectsCanBeReturnedAsIs() async throws {
        let request = OutboundHTTPRequest(url: server.url("/redirect/echo"), redirects: .none)
        let response = try await client().send(request)
        XCTAssertEqual(response.status, 302)
        XCTAssertEqual(response.headers["location"], "/echo")
    }

    func testSeeOtherTurnsPostIntoGet() async throws {
        let request = OutboundHTTPRequest(
            method: "POST", url: server.url("/see-other"), headers: ["Content-Type": "text/plain"],
            body: Array("payload".utf8))
        let response = try await client().send(request)
        XCTAssertTrue(response.text.hasPrefix("GET /echo HTTP/1.1"), response.text)
        XCTAssertFalse(response.text.contains("payload"))
        XCTAssertFalse(response.text.contains("Content-Type"))
    }

    func testRedirectLimit() async throws {
        let request = OutboundHTTPRequest(url: server.url("/loop/0"), redirects: .follow(max: 3))
        let error = await outboundError { try await self.client().send(request) }
        XCTAssertEqual(error, .tooManyRedirects(limit: 3))
        XCTAssertEqual(server.connectionCount, 4)
    }

    func testBodyCapWithContentLength() async throws {
        let fits = try await client().send(
            OutboundHTTPRequest(url: server.url("/large/1000"), maxResponseBytes: 1000))
        XCTAssertEqual(fits.body.count, 1000)
        let request = OutboundHTTPRequest(url: server.url("/large/1001"), maxResponseBytes: 1000)
        let error = await outboundError { try await self.client().send(request) }
        XCTAssertEqual(error, .responseTooLarge(limit: 1000))
    }

    func testBodyCapOnStreamedBody() async throws {
        let request = OutboundHTTPRequest(url: server.url("/stream/200000"), maxResponseBytes: 50_000)
        let error = await outboundError { try await self.client().send(request) }
        XCTAssertEqual(error, .responseTooLarge(limit: 50_000))
        let whole = try await client().send(OutboundHTTPRequest(url: server.url("/stream/200000")))
        XCTAssertEqual(whole.body.count, 200_000)
    }

    func testInvalidRequests() async throws {
        for url in [
            "ftp://127.0.0.1/file", "file:///etc/passwd", "not a url", "http://:80/", "gopher://127.0.0.1/",
        ] {
            let error = await outboundError { try await self.client().send(OutboundHTTPRequest(url: url)) }
            guard case .invalidURL = error else { return XCTFail("\(url): \(String(describing: error))") }
        }
        let injected = OutboundHTTPRequest(url: server.url("/echo"), headers: ["X-Bad": "a\r\nX-Injected: 1"])
        let error = await outboundError { try await self.client().send(injected) }
        XCTAssertEqual(error, .invalidRequest("header 'X-Bad' has a line break or no name"))
        XCTAssertEqual(server.connectionCount, 0)
    }

    func testCancellationStopsTheTransfer() async throws {
        let client = try client()
        let request = OutboundHTTPRequest(url: server.url("/slow/5000"))
        let task = Task { try await client.send(request) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        let error = await outboundError { try await task.value }
        XCTAssertEqual(error, .cancelled)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
    }

    func testConcurrentRequests() async throws {
        let client = try client()
        let url = server.url("/slow/100")
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await client.send(OutboundHTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 20))
        // Twenty 100 ms responses in parallel, not one after another on a 2-thread pool.
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
    }
}

/// `HTTPClientTests` with the transfers driven by a waiter, as on a server's event loop.
final class HTTPClientOnLoopTests: HTTPClientTests {
    let transfers = LoopTransfers(waiter: PollingSocketWaiter())

    override var loop: LoopTransfers? { transfers }

    // Test discovery on Linux finds only the tests a class declares itself: each is named again.

    override func testGetReturnsStatusHeadersBodyAndTiming() async throws {
        try await super.testGetReturnsStatusHeadersBodyAndTiming()
    }

    override func testPostSendsBodyWithoutCurlDefaults() async throws {
        try await super.testPostSendsBodyWithoutCurlDefaults()
    }

    override func testOtherMethodsAndEmptyHeaderValues() async throws {
        try await super.testOtherMethodsAndEmptyHeaderValues()
    }

    override func testStatusCodesAreResponsesNotErrors() async throws {
        try await super.testStatusCodesAreResponsesNotErrors()
    }

    override func testSlowServerTimesOut() async throws { try await super.testSlowServerTimesOut() }

    override func testRefusedPort() async throws { try await super.testRefusedPort() }

    override func testUnknownHostIsDNSFailure() async throws { try await super.testUnknownHostIsDNSFailure() }

    override func testLocalhostNeedsTheAllowList() async throws {
        try await super.testLocalhostNeedsTheAllowList()
    }

    override func testNumericHostSpellingsAreRefused() async throws {
        try await super.testNumericHostSpellingsAreRefused()
    }

    override func testTLSFailureIsClassified() async throws { try await super.testTLSFailureIsClassified() }

    override func testRedirectIsFollowed() async throws { try await super.testRedirectIsFollowed() }

    override func testRedirectsCanBeReturnedAsIs() async throws {
        try await super.testRedirectsCanBeReturnedAsIs()
    }

    override func testSeeOtherTurnsPostIntoGet() async throws {
        try await super.testSeeOtherTurnsPostIntoGet()
    }

    override func testRedirectLimit() async throws { try await super.testRedirectLimit() }

    override func testBodyCapWithContentLength() async throws {
        try await super.testBodyCapWithContentLength()
    }

    override func testBodyCapOnStreamedBody() async throws { try await super.testBodyCapOnStreamedBody() }

    override func testInvalidRequests() async throws { try await super.testInvalidRequests() }

    override func testCancellationStopsTheTransfer() async throws {
        try await super.testCancellationStopsTheTransfer()
    }

    override func testConcurrentRequests() async throws { try await super.testConcurrentRequests() }
}
