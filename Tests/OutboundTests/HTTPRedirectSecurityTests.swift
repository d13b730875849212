import XCTest

@testable import Outbound

/// Redirects and error texts: every hop re-checked, credentials kept from other origins,
/// secrets kept out of messages. Every test runs twice: on transfer threads, and driven by a
/// waiter (`HTTPRedirectSecurityOnLoopTests`).
class HTTPRedirectSecurityTests: XCTestCase {
    var first: FakeHTTPServer!
    /// A second origin on another loopback address (Linux answers on all of 127/8).
    var second: FakeHTTPServer!
    let recorder = NetworkRecorder()

    override func setUpWithError() throws {
        first = try FakeHTTPServer(host: "127.0.0.1")
        second = try FakeHTTPServer(host: "127.0.0.2")
    }

    override func tearDown() {
        first.stop()
        second.stop()
    }

    /// Where the tests' transfers are driven from; nil: transfer threads.
    var loop: LoopTransfers? { nil }

    func client(allow: String) throws -> OutboundHTTPClient {
        OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: allow), network: recorder.network, loop: loop)
    }

    func testRedirectToAnotherAllowedAddressIsFollowed() async throws {
        let url = first.url("/redirect-to/127.0.0.2:\(second.port)/echo")
        let response = try await client(allow: "127.0.0.0/8").send(OutboundHTTPRequest(url: url))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.remoteIP, "127.0.0.2")
        XCTAssertEqual(response.finalURL, second.url("/echo"))
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(first.port)", "127.0.0.2 \(second.port)"])
    }

    func testRedirectToRefusedAddressIsRefusedBeforeConnecting() async throws {
        let url = first.url("/redirect-to/127.0.0.2:\(second.port)/echo")
        let error = await outboundError {
            try await self.client(allow: "127.0.0.1").send(OutboundHTTPRequest(url: url))
        }
        XCTAssertEqual(error, .addressNotAllowed(host: "127.0.0.2", address: "127.0.0.2", reason: "loopback"))
        XCTAssertEqual(second.connectionCount, 0)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(first.port)"])

        let toPrivate = first.url("/redirect-to/10.0.0.1:80/")
        let privateError = await outboundError {
            try await self.client(allow: "127.0.0.1").send(OutboundHTTPRequest(url: toPrivate))
        }
        XCTAssertEqual(
            privateError, .addressNotAllowed(host: "10.0.0.1", address: "10.0.0.1", reason: "private network")
        )
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(first.port)", "127.0.0.1 \(first.port)"])
    }

    func testCredentialsStayWithTheirOrigin() async throws {
        let headers: OutboundHTTPHeaders = [
            "Authorization": "Bearer keep-me-home", "Cookie": "s=1", "X-Other": "kept",
        ]
        let sameOrigin = OutboundHTTPRequest(url: first.url("/redirect/echo"), headers: headers)
        let same = try await client(allow: "127.0.0.0/8").send(sameOrigin)
        XCTAssertTrue(same.text.contains("Authorization: Bearer keep-me-home"), same.text)

        let crossOrigin = OutboundHTTPRequest(
            url: first.url("/redirect-to/127.0.0.2:\(second.port)/echo"), headers: headers)
        let cross = try await client(allow: "127.0.0.0/8").send(crossOrigin)
        XCTAssertFalse(cross.text.contains("keep-me-home"), cross.text)
        XCTAssertFalse(cross.text.contains("Cookie"), cross.text)
        XCTAssertTrue(cross.text.contains("X-Other: kept"), cross.text)
    }

    /// libcurl's socket callback refuses an address that was not checked, even if something
    /// upstream of it went wrong (here: the checked list deliberately disagrees with the URL).
    func testSocketGuardRefusesUncheckedAddresses() throws {
        let url = try CurlURL(first.url("/echo"))
        let destination = CheckedDestination(
            host: url.host, port: url.port, addresses: [.v4(0x7F00_0002)], lookupTime: .zero)
        let hop = CurlHop(
            easy: try CurlEasy(), url: url, destination: destination, method: "GET", headers: [:], body: [],
            timeout: .seconds(5), maxResponseBytes: 1000, userAgent: "test", network: recorder.network,
            cancellation: CancellationFlag())
        XCTAssertThrowsError(try hop.run()) { error in
            XCTAssertEqual(
                error as? OutboundError,
                .addressNotAllowed(
                    host: "127.0.0.1", address: "127.0.0.1", reason: "not among the checked addresses"))
        }
        XCTAssertEqual(first.connectionCount, 0)
        XCTAssertEqual(recorder.connects, [])
    }

    func testErrorsNeverCarrySecrets() async throws {
        let sentinel = "SENTINEL-4f1c9e"
        let refused = try TestSocket.refusedPort()
        let headers: OutboundHTTPHeaders = ["Authorization": "Bearer \(sentinel)", "X-Api-Key": sentinel]
        let body = Array("password=\(sentinel)".utf8)
        let urls = [
            "http://user:\(sentinel)@127.0.0.1:\(refused)/path?token=\(sentinel)",
            "http://127.0.0.1:\(refused)/?\(sentinel)",
            first.url("/slow/2000?key=\(sentinel)"),
            first.url("/large/5000?key=\(sentinel)"),
            first.url("/loop/0?key=\(sentinel)"),
            first.url("/redirect-to/10.0.0.1/?key=\(sentinel)"),
            "http://\(sentinel).invalid/",
            "ftp://user:\(sentinel)@127.0.0.1/?\(sentinel)",
            "http://user:\(sentinel)@[::1/",
            "http://10.0.0.1/?k=\(sentinel)",
        ]
        var seen = Set<String>()
        for url in urls {
            let request = OutboundHTTPRequest(
                method: "POST", url: url, headers: headers, body: body, timeout: .milliseconds(300),
                redirects: .follow(max: 2), maxResponseBytes: 1000)
            let error = await outboundError { try await self.client(allow: "127.0.0.1").send(request) }
            let text = String(describing: error)
            seen.insert(String(text.prefix(20)))
            if url.hasPrefix("http://\(sentinel)") {
                // The host name itself is what failed to resolve; naming it is the point.
                XCTAssertEqual(error, .dnsFailure(host: "\(sentinel.lowercased()).invalid"))
            } else {
                XCTAssertFalse(text.lowercased().contains(sentinel.lowercased()), text)
            }
        }
        XCTAssertGreaterThanOrEqual(seen.count, 7, "the URLs should fail in different ways: \(seen)")
    }
}

/// `HTTPRedirectSecurityTests` with the transfers driven by a waiter, as on a server's event loop.
final class HTTPRedirectSecurityOnLoopTests: HTTPRedirectSecurityTests {
    let transfers = LoopTransfers(waiter: PollingSocketWaiter())

    override var loop: LoopTransfers? { transfers }

    // Test discovery on Linux finds only the tests a class declares itself: each is named again.

    override func testRedirectToAnotherAllowedAddressIsFollowed() async throws {
        try await super.testRedirectToAnotherAllowedAddressIsFollowed()
    }

    override func testRedirectToRefusedAddressIsRefusedBeforeConnecting() async throws {
        try await super.testRedirectToRefusedAddressIsRefusedBeforeConnecting()
    }

    override func testCredentialsStayWithTheirOrigin() async throws {
        try await super.testCredentialsStayWithTheirOrigin()
    }

    override func testErrorsNeverCarrySecrets() async throws { try await super.testErrorsNeverCarrySecrets() }
}
