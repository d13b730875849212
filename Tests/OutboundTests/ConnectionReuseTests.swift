import XCTest

@testable import Outbound

/// Connections kept between requests, and the policy kept exact when one is reused. Every test
/// runs twice: on transfer threads, and driven by a waiter (`ConnectionReuseOnLoopTests`).
class ConnectionReuseTests: XCTestCase {
    /// Keep-alive servers on 127.0.0.1 and on 127.0.0.2, on the same port, so that one host name
    /// can point at either (Linux answers on all of 127/8).
    var first: FakeHTTPServer!
    var second: FakeHTTPServer!
    let recorder = NetworkRecorder(fakeAnswers: ["svc.test": [.v4(0x7F00_0001)]])
    /// A pool of this test's own, so that no other test's connections are in its handles.
    let transfers = TransferThreads(maximumThreads: 4, idleTimeout: .seconds(5))

    override func setUpWithError() throws {
        first = try FakeHTTPServer(host: "127.0.0.1", keepAlive: true)
        second = try FakeHTTPServer(host: "127.0.0.2", port: first.port, keepAlive: true)
    }

    override func tearDown() {
        first.stop()
        second.stop()
    }

    /// Where the tests' transfers are driven from; nil: `transfers`.
    var loop: LoopTransfers? { nil }

    func client(allow: String = "127.0.0.0/8") throws -> OutboundHTTPClient {
        OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: allow), network: recorder.network, transfers: transfers,
            loop: loop)
    }

    func get(_ url: String, allow: String = "127.0.0.0/8") async throws -> OutboundHTTPResponse {
        try await client(allow: allow).send(OutboundHTTPRequest(url: url))
    }

    var serviceURL: String { "http://svc.test:\(first.port)/echo" }

    func testSequentialRequestsToOneOriginShareAConnection() async throws {
        for _ in 0..<3 {
            let response = try await client().send(
                OutboundHTTPRequest(method: "POST", url: first.url("/echo"), body: Array("x".utf8)))
            XCTAssertEqual(response.status, 200)
        }
        XCTAssertEqual(first.requestCount, 3)
        XCTAssertEqual(first.connectionCount, 1)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(first.port)"])
        if let loop {
            XCTAssertEqual(transfers.statistics.peakThreads, 0)
            XCTAssertEqual(loop.idleSessions, 1, "each request took the session just put back")
        } else {
            XCTAssertEqual(transfers.statistics.peakThreads, 1, "each request went to the thread just used")
        }
    }

    func testTwoOriginsUseTwoConnections() async throws {
        for _ in 0..<2 {
            _ = try await get(first.url("/echo"))
            _ = try await get(second.url("/echo"))
        }
        XCTAssertEqual(first.requestCount, 2)
        XCTAssertEqual(second.requestCount, 2)
        XCTAssertEqual(first.connectionCount, 1)
        XCTAssertEqual(second.connectionCount, 1)
        XCTAssertEqual(recorder.connects.count, 2)
    }

    func testChangedResolutionConnectsToTheNewAddress() async throws {
        let before = try await get(serviceURL)
        XCTAssertEqual(before.headers["X-Served-By"], "127.0.0.1")

        recorder.fakeAnswers["svc.test"] = [.v4(0x7F00_0002)]
        let after = try await get(serviceURL)
        XCTAssertEqual(after.headers["X-Served-By"], "127.0.0.2")
        XCTAssertEqual(after.remoteIP, "127.0.0.2")
        XCTAssertEqual(first.requestCount, 1, "the live connection to the old address was not reused")
        XCTAssertEqual(second.connectionCount, 1)
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(first.port)", "127.0.0.2 \(first.port)"])
    }

    /// Another client sharing the pool whose policy allows only the name's new address: the
    /// connection the first client left open is not reused for it.
    func testAConnectionIsNotReusedUnderAnotherClientsAnswer() async throws {
        recorder.fakeAnswers["svc.test"] = [.v4(0x7F00_0002)]
        _ = try await get(serviceURL, allow: "127.0.0.2")
        let other = NetworkRecorder(fakeAnswers: ["svc.test": [.v4(0x7F00_0001)]])
        let otherClient = OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: "127.0.0.1"), network: other.network, transfers: transfers,
            loop: loop)
        let response = try await otherClient.send(OutboundHTTPRequest(url: serviceURL))
        XCTAssertEqual(response.headers["X-Served-By"], "127.0.0.1")
        XCTAssertEqual(second.requestCount, 1)
        XCTAssertEqual(other.connects, ["127.0.0.1 \(first.port)"])
    }

    func testRefusedResolutionIsRefusedDespiteALiveConnection() async throws {
        _ = try await get(serviceURL, allow: "127.0.0.1")
        XCTAssertEqual(first.openConnectionCount, 1, "the connection stays open for reuse")

        recorder.fakeAnswers["svc.test"] = [.v4(0x7F00_0002)]
        let error = await outboundError { try await self.get(self.serviceURL, allow: "127.0.0.1") }
        XCTAssertEqual(error, .addressNotAllowed(host: "svc.test", address: "127.0.0.2", reason: "loopback"))
        XCTAssertEqual(first.requestCount, 1)
        XCTAssertEqual(second.connectionCount, 0)
    }

    /// A failed transfer drops the whole handle: the connection it failed on, and with it those
    /// to other origins (libcurl itself would close only the first).
    func testTheNextRequestAfterATimeoutUsesANewConnection() async throws {
        _ = try await get(second.url("/echo"))
        _ = try await get(first.url("/echo"))
        let slow = OutboundHTTPRequest(url: first.url("/slow/1500"), timeout: .milliseconds(200))
        let error = await outboundError { try await self.client().send(slow) }
        XCTAssertEqual(error, .timeout(after: .milliseconds(200)))
        XCTAssertEqual(first.connectionCount, 1, "the slow request went out on the warm connection")

        let next = try await get(first.url("/echo"))
        XCTAssertEqual(next.status, 200)
        XCTAssertEqual(first.connectionCount, 2)
        _ = try await get(second.url("/echo"))
        XCTAssertEqual(second.connectionCount, 2)
    }

    func testTheNextRequestAfterAnOversizedResponseUsesANewConnection() async throws {
        _ = try await get(first.url("/echo"))
        let large = OutboundHTTPRequest(url: first.url("/stream/200000"), maxResponseBytes: 1000)
        let error = await outboundError { try await self.client().send(large) }
        XCTAssertEqual(error, .responseTooLarge(limit: 1000))
        XCTAssertEqual(first.connectionCount, 1)

        let next = try await get(first.url("/echo"))
        XCTAssertEqual(next.status, 200)
        XCTAssertTrue(next.text.hasPrefix("GET /echo HTTP/1.1\r\n"), next.text)
        XCTAssertEqual(first.connectionCount, 2)
    }

    /// A redirect to another origin drops credentials even when a warm connection to that origin
    /// is reused for it.
    func testCrossOriginRedirectOnAWarmConnectionCarriesNoCredentials() async throws {
        _ = try await get(second.url("/echo"))
        let request = OutboundHTTPRequest(
            url: first.url("/redirect-to/127.0.0.2:\(second.port)/echo"),
            headers: ["Authorization": "Bearer keep-me-home", "Cookie": "s=1", "X-Other": "kept"])
        let response = try await client().send(request)
        XCTAssertEqual(response.headers["X-Served-By"], "127.0.0.2")
        XCTAssertFalse(response.text.contains("keep-me-home"), response.text)
        XCTAssertFalse(response.text.contains("Cookie"), response.text)
        XCTAssertTrue(response.text.contains("X-Other: kept"), response.text)
        XCTAssertEqual(second.connectionCount, 1, "the warm connection was reused")
    }
}

/// `ConnectionReuseTests` with the transfers driven by a waiter, as on a server's event loop: the
/// connections are then kept by the sessions of a `LoopTransfers` of this test's own.
final class ConnectionReuseOnLoopTests: ConnectionReuseTests {
    let loopTransfers = LoopTransfers(waiter: PollingSocketWaiter())

    override var loop: LoopTransfers? { loopTransfers }

    // Test discovery on Linux finds only the tests a class declares itself: each is named again.

    override func testSequentialRequestsToOneOriginShareAConnection() async throws {
        try await super.testSequentialRequestsToOneOriginShareAConnection()
    }

    override func testTwoOriginsUseTwoConnections() async throws {
        try await super.testTwoOriginsUseTwoConnections()
    }

    override func testChangedResolutionConnectsToTheNewAddress() async throws {
        try await super.testChangedResolutionConnectsToTheNewAddress()
    }

    override func testAConnectionIsNotReusedUnderAnotherClientsAnswer() async throws {
        try await super.testAConnectionIsNotReusedUnderAnotherClientsAnswer()
    }

    override func testRefusedResolutionIsRefusedDespiteALiveConnection() async throws {
        try await super.testRefusedResolutionIsRefusedDespiteALiveConnection()
    }

    override func testTheNextRequestAfterATimeoutUsesANewConnection() async throws {
        try await super.testTheNextRequestAfterATimeoutUsesANewConnection()
    }

    override func testTheNextRequestAfterAnOversizedResponseUsesANewConnection() async throws {
        try await super.testTheNextRequestAfterAnOversizedResponseUsesANewConnection()
    }

    override func testCrossOriginRedirectOnAWarmConnectionCarriesNoCredentials() async throws {
        try await super.testCrossOriginRedirectOnAWarmConnectionCarriesNoCredentials()
    }
}
