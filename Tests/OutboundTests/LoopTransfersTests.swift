import Synchronization
import XCTest

@testable import Outbound

/// Transfers driven by a waiter instead of a transfer thread (`LoopTransfers`), and the sessions
/// they keep between requests.
final class LoopTransfersTests: XCTestCase {
    var server: FakeHTTPServer!
    let waiter = PollingSocketWaiter()
    /// A pool of this test's own: it shows whether a transfer ran on a thread.
    let threads = TransferThreads(maximumThreads: 2, idleTimeout: .seconds(5))

    override func setUpWithError() throws {
        server = try FakeHTTPServer(keepAlive: true)
    }

    override func tearDown() {
        server.stop()
    }

    func client(_ loop: LoopTransfers) throws -> OutboundHTTPClient {
        OutboundHTTPClient(policy: try OutboundPolicy(allowList: "127.0.0.1"), transfers: threads, loop: loop)
    }

    func testARequestFromALoopIsDrivenThereAndItsSessionKeepsTheConnection() async throws {
        let loop = LoopTransfers(waiter: waiter)
        for round in 1...3 {
            let response = try await client(loop).send(
                OutboundHTTPRequest(
                    method: "POST", url: server.url("/echo"), body: Array("round \(round)".utf8)))
            XCTAssertEqual(response.status, 200)
            XCTAssertTrue(response.text.hasSuffix("round \(round)"), response.text)
        }
        XCTAssertGreaterThan(waiter.waits, 0)
        XCTAssertEqual(threads.statistics.peakThreads, 0, "no transfer thread was used")
        XCTAssertEqual(loop.idleSessions, 1)
        XCTAssertEqual(server.connectionCount, 1, "the three requests shared one connection")
    }

    func testOffALoopTheTransferThreadsRunTheRequest() async throws {
        waiter.available = false
        let loop = LoopTransfers(waiter: waiter)
        let response = try await client(loop).send(OutboundHTTPRequest(url: server.url("/echo")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(waiter.waits, 0)
        XCTAssertEqual(threads.statistics.peakThreads, 1)
        XCTAssertEqual(loop.idleSessions, 0)
    }

    func testAStoppingLoopGivesTheTransferUpAndDropsItsConnection() async throws {
        let loop = LoopTransfers(waiter: waiter)
        _ = try await client(loop).send(OutboundHTTPRequest(url: server.url("/echo")))
        XCTAssertEqual(server.openConnectionCount, 1)
        waiter.stop()
        let error = await outboundError {
            try await self.client(loop).send(OutboundHTTPRequest(url: self.server.url("/echo")))
        }
        XCTAssertEqual(error, .cancelled)
        try await waitUntil { self.server.openConnectionCount == 0 }
        XCTAssertEqual(loop.idleSessions, 1, "the session is kept, without its connections")
    }

    func testSessionsIdleForTooLongAreClosed() async throws {
        let loop = LoopTransfers(waiter: waiter, idleTimeout: .milliseconds(50))
        _ = try await client(loop).send(OutboundHTTPRequest(url: server.url("/echo")))
        XCTAssertEqual(server.openConnectionCount, 1)
        try await Task.sleep(for: .milliseconds(150))
        _ = try await client(loop).send(OutboundHTTPRequest(url: server.url("/echo")))
        XCTAssertEqual(server.connectionCount, 2, "the idle session was closed, not reused")
        try await waitUntil { self.server.openConnectionCount == 1 }
        XCTAssertEqual(loop.idleSessions, 1)
    }

    func testConcurrentTransfersEachTakeASessionAndAtMostTheLimitIsKept() async throws {
        for (limit, kept) in [(64, 5), (2, 2)] {
            let loop = LoopTransfers(waiter: waiter, maximumIdle: limit)
            let client = try client(loop)
            let url = server.url("/slow/100")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await client.send(OutboundHTTPRequest(url: url)).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(statuses, Array(repeating: 200, count: 5))
            XCTAssertEqual(loop.idleSessions, kept)
        }
        XCTAssertEqual(threads.statistics.peakThreads, 0)
    }

    func testBeyondTheLimitOfActiveSessionsTheTransferThreadsTakeOver() async throws {
        let loop = LoopTransfers(waiter: waiter, maximumActive: 1)
        let client = try client(loop)
        let url = server.url("/slow/200")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await client.send(OutboundHTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, [200, 200, 200])
        XCTAssertEqual(loop.idleSessions, 1, "one session at a time")
        XCTAssertGreaterThanOrEqual(threads.statistics.peakThreads, 1, "the others ran on transfer threads")
    }

    func testHTTPSStaysOnTheTransferThreadsAndARedirectToItLeavesTheLoop() async throws {
        XCTAssertTrue(OutboundHTTPClient.isPlainHTTP("HTTP://example.com/"))
        XCTAssertFalse(OutboundHTTPClient.isPlainHTTP("https://example.com/"))
        let loop = LoopTransfers(waiter: waiter)
        // The fake server speaks plain HTTP, so each handshake fails: what matters is where it ran.
        let direct = await outboundError {
            try await self.client(loop).send(
                OutboundHTTPRequest(url: "https://127.0.0.1:\(self.server.port)/echo"))
        }
        guard case .tlsError = direct else { return XCTFail(String(describing: direct)) }
        XCTAssertEqual(waiter.waits, 0)
        XCTAssertEqual(threads.statistics.peakThreads, 1)

        let redirected = await outboundError {
            try await self.client(loop).send(
                OutboundHTTPRequest(
                    url: self.server.url("/redirect-tls-to/127.0.0.1:\(self.server.port)/echo")))
        }
        guard case .tlsError = redirected else { return XCTFail(String(describing: redirected)) }
        XCTAssertGreaterThan(waiter.waits, 0, "the first hop ran on the loop")
        XCTAssertEqual(threads.statistics.peakThreads, 1, "the second on a thread of its own")
    }

    func testAHostNameIsLookedUpOffTheLoopThenAnsweredFromTheCache() async throws {
        let lookups = LookupCounter()
        let cache = ResolverCache(lifetime: .seconds(30)) { host in
            lookups.add()
            return host == "svc.test" ? [.v4(0x7F00_0001)] : []
        }
        let loop = LoopTransfers(waiter: waiter)
        let client = OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: "127.0.0.1"), network: .cached(cache), transfers: threads,
            loop: loop)
        let url = "http://svc.test:\(server.port)/echo"
        XCTAssertNil(
            try CheckedDestination.resolveWithoutWaiting(
                host: "svc.test", port: server.port, policy: client.policy, network: client.network))
        for _ in 0..<2 {
            let response = try await client.send(OutboundHTTPRequest(url: url))
            XCTAssertEqual(response.status, 200)
        }
        XCTAssertEqual(lookups.count, 1)
        let known = try CheckedDestination.resolveWithoutWaiting(
            host: "SVC.test", port: server.port, policy: client.policy, network: client.network)
        XCTAssertEqual(known?.addresses, [.v4(0x7F00_0001)])
        // A kept answer is still checked against the asking client's policy.
        let error = await outboundError {
            try CheckedDestination.resolveWithoutWaiting(
                host: "svc.test", port: self.server.port, policy: OutboundPolicy(), network: client.network)
        }
        XCTAssertEqual(error, .addressNotAllowed(host: "svc.test", address: "127.0.0.1", reason: "loopback"))
    }
}

/// Waits up to five seconds for `condition` (the fake server notices a closed connection on its own
/// thread); fails the test if it never holds.
private func waitUntil(
    _ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            return XCTFail("never came true", file: file, line: line)
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Counts lookups made from any thread.
private final class LookupCounter: Sendable {
    private let value = Mutex<Int>(0)

    var count: Int { value.withLock { $0 } }

    func add() { value.withLock { $0 += 1 } }
}
