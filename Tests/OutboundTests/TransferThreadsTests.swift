import Foundation
import XCTest

@testable import Outbound

/// The pool of transfer threads: started on demand up to the cap, idle ones reused last-in
/// first-out, jobs beyond the cap queued in order, idle threads ending after the timeout.
final class TransferThreadsTests: XCTestCase {
    /// Order in which jobs ran, shared with the pool's threads.
    final class Log: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var entries: [String] = []
        var all: [String] { lock.withLock { entries } }
        func add(_ entry: String) { lock.withLock { entries.append(entry) } }
    }

    /// Polls `condition` until it holds; fails the test if it does not within `timeout`.
    func waitUntil(
        _ message: String = "condition", timeout: Duration = .seconds(3), file: StaticString = #filePath,
        line: UInt = #line, _ condition: () -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline {
                return XCTFail("timed out waiting: \(message)", file: file, line: line)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// A job that logs its name and blocks until `release` is signalled; returns its session.
    func blockingJob(
        _ name: String, on pool: TransferThreads, log: Log, release: DispatchSemaphore
    ) -> Task<ObjectIdentifier, Error> {
        Task {
            try await pool.run { session, _ in
                log.add(name)
                release.wait()
                return ObjectIdentifier(session)
            }
        }
    }

    func testJobsBeyondTheCapWaitInOrder() async throws {
        let pool = TransferThreads(maximumThreads: 1, idleTimeout: .seconds(5))
        let log = Log()
        let release = DispatchSemaphore(value: 0)
        let first = blockingJob("first", on: pool, log: log, release: release)
        try await waitUntil { log.all == ["first"] }
        let second = blockingJob("second", on: pool, log: log, release: release)
        try await waitUntil { pool.statistics.queued == 1 }
        let third = blockingJob("third", on: pool, log: log, release: release)
        try await waitUntil { pool.statistics.queued == 2 }
        XCTAssertEqual(pool.statistics, .init(threads: 1, idle: 0, queued: 2, peakThreads: 1))

        for _ in 0..<3 { release.signal() }
        let sessions = [try await first.value, try await second.value, try await third.value]
        XCTAssertEqual(log.all, ["first", "second", "third"])
        XCTAssertEqual(Set(sessions).count, 1, "one thread, one session")
        XCTAssertEqual(pool.statistics, .init(threads: 1, idle: 1, queued: 0, peakThreads: 1))
    }

    func testTheMostRecentlyIdleThreadTakesTheNextJob() async throws {
        let pool = TransferThreads(maximumThreads: 2, idleTimeout: .seconds(5))
        let log = Log()
        let releaseA = DispatchSemaphore(value: 0)
        let releaseB = DispatchSemaphore(value: 0)
        let a = blockingJob("a", on: pool, log: log, release: releaseA)
        let b = blockingJob("b", on: pool, log: log, release: releaseB)
        try await waitUntil { log.all.count == 2 }
        releaseA.signal()
        let sessionA = try await a.value
        try await waitUntil { pool.statistics.idle == 1 }
        releaseB.signal()
        let sessionB = try await b.value
        try await waitUntil { pool.statistics.idle == 2 }
        XCTAssertNotEqual(sessionA, sessionB)

        let next = try await pool.run { session, _ in ObjectIdentifier(session) }
        XCTAssertEqual(next, sessionB)
    }

    func testIdleThreadsExitAfterTheTimeout() async throws {
        let pool = TransferThreads(maximumThreads: 4, idleTimeout: .milliseconds(300))
        let log = Log()
        let release = DispatchSemaphore(value: 0)
        let jobs = (0..<3).map { blockingJob("\($0)", on: pool, log: log, release: release) }
        try await waitUntil { log.all.count == 3 }
        for _ in jobs { release.signal() }
        for job in jobs { _ = try await job.value }
        XCTAssertEqual(pool.statistics.threads, 3)
        try await waitUntil { pool.statistics.threads == 0 }
        XCTAssertEqual(pool.statistics, .init(threads: 0, idle: 0, queued: 0, peakThreads: 3))

        // The pool starts threads again after its last one has gone.
        let answer = try await pool.run { _, _ in 42 }
        XCTAssertEqual(answer, 42)
    }

    func testManyConcurrentRequestsStayWithinTheCap() async throws {
        let server = try FakeHTTPServer(keepAlive: true)
        defer { server.stop() }
        let pool = TransferThreads(maximumThreads: 8, idleTimeout: .milliseconds(200))
        let client = OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: "127.0.0.1"), network: NetworkRecorder().network,
            transfers: pool)
        let url = server.url("/slow/20")
        let sampler = Task {
            var mostQueued = 0
            while !Task.isCancelled {
                mostQueued = max(mostQueued, pool.statistics.queued)
                try? await Task.sleep(for: .milliseconds(2))
            }
            return mostQueued
        }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 { group.addTask { try await client.send(OutboundHTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        sampler.cancel()
        let mostQueued = await sampler.value
        XCTAssertEqual(statuses, Array(repeating: 200, count: 64))
        XCTAssertEqual(server.requestCount, 64)
        XCTAssertEqual(pool.statistics.peakThreads, 8)
        XCTAssertGreaterThan(mostQueued, 0, "jobs waited for a thread")
        XCTAssertEqual(pool.statistics.queued, 0)
        XCTAssertLessThanOrEqual(server.connectionCount, 8, "each thread kept its connection")

        try await waitUntil("idle threads exit") { pool.statistics.threads == 0 }
        try await waitUntil("and close their connections") { server.openConnectionCount == 0 }
    }

    func testCancellingAQueuedRequestFailsItAtOnce() async throws {
        let server = try FakeHTTPServer(keepAlive: true)
        defer { server.stop() }
        let pool = TransferThreads(maximumThreads: 1, idleTimeout: .seconds(5))
        let client = OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: "127.0.0.1"), network: NetworkRecorder().network,
            transfers: pool)
        let busy = Task { try await client.send(OutboundHTTPRequest(url: server.url("/slow/5000"))) }
        try await waitUntil { server.requestCount == 1 }
        let waiting = Task { try await client.send(OutboundHTTPRequest(url: server.url("/echo"))) }
        try await waitUntil { pool.statistics.queued == 1 }

        var started = ContinuousClock.now
        waiting.cancel()
        let error = await outboundError { try await waiting.value }
        XCTAssertEqual(error, .cancelled)
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(500))
        XCTAssertEqual(pool.statistics.queued, 0)

        started = ContinuousClock.now
        busy.cancel()
        let busyError = await outboundError { try await busy.value }
        XCTAssertEqual(busyError, .cancelled)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(server.requestCount, 1, "the cancelled request was never sent")
    }
}
