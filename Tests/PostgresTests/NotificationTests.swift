import Postgres
import XCTest

final class NotificationTests: PostgresTestCase {
    /// The next element of `stream`, or nil after `timeout` (which ends the stream: a cancelled
    /// iteration terminates an AsyncStream).
    static func next(
        _ stream: AsyncStream<PostgresNotification>, within timeout: Duration
    ) async -> PostgresNotification? {
        await withTaskGroup(of: PostgresNotification?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func testNotificationsReachEverySubscriberOfTheirChannel() async throws {
        let pool = try makeSharedPool()
        let channel = "jobs_" + UUID().uuidString.prefix(8).lowercased()
        let first = try await pool.listen(channel)
        let second = try await pool.listen(channel)
        let other = try await pool.listen(channel + "_other")

        try await pool.notify(channel, payload: "héllo {\"id\": 1}")
        let a = await Self.next(first, within: .seconds(5))
        let b = await Self.next(second, within: .seconds(5))
        XCTAssertEqual(a?.channel, channel)
        XCTAssertEqual(a?.payload, "héllo {\"id\": 1}")
        XCTAssertEqual(b?.payload, "héllo {\"id\": 1}")
        XCTAssertNotEqual(a?.processID, 0)
        let unrelated = await Self.next(other, within: .milliseconds(200))
        XCTAssertNil(unrelated, "a channel only receives its own notifications")
    }

    func testChannelNamesAreQuotedNotInterpreted() async throws {
        let pool = try makeSharedPool()
        let channel = "Mixed Case \"quoted\"; LISTEN x"
        let stream = try await pool.listen(channel)
        try await pool.notify(channel, payload: "ok")
        let received = await Self.next(stream, within: .seconds(5))
        XCTAssertEqual(received?.channel, channel)
        XCTAssertEqual(received?.payload, "ok")
    }

    func testNotificationsArriveInOrder() async throws {
        let pool = try makeSharedPool()
        let channel = "ordered_" + UUID().uuidString.prefix(8).lowercased()
        let stream = try await pool.listen(channel)
        for index in 0..<50 { try await pool.notify(channel, payload: String(index)) }
        var payloads: [String] = []
        for await notification in stream {
            payloads.append(notification.payload)
            if payloads.count == 50 { break }
        }
        XCTAssertEqual(payloads, (0..<50).map(String.init))
    }

    func testClosingThePoolEndsStreams() async throws {
        let pool = try makeSharedPool()
        let stream = try await pool.listen("closing_test")
        let finished = Task {
            for await _ in stream {}
            return true
        }
        await pool.close()
        let result = await finished.value
        XCTAssertTrue(result)
    }

    func testListenFailsWhenTheServerIsUnreachable() async throws {
        let pool = try PostgresPool(url: "postgresql://u:pw@127.0.0.1:1/db?sslmode=disable")
        let error = await expectPostgresError { try await pool.listen("anything") }
        XCTAssertEqual(error?.kind, .connection)
        await pool.close()
    }
}
