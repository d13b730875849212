import Postgres
import XCTest

final class PoolTests: PostgresTestCase {
    func testConnectionsOpenLazilyAndNeverExceedTheSize() async throws {
        let pool = try makeSharedPool(size: 3)
        let before = await pool.statistics
        XCTAssertEqual(before.open, 0, "no connection before the first statement")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { try await pool.scalar("SELECT pg_backend_pid() FROM pg_sleep(0.005)") }
            }
            var backends = Set<Int>()
            for try await pid in group { backends.insert(pid) }
            XCTAssertLessThanOrEqual(backends.count, 3)
        }
        let after = await pool.statistics
        XCTAssertLessThanOrEqual(after.open, 3)
        XCTAssertEqual(after.idle, after.open)
        XCTAssertEqual(after.waiting, 0)
    }

    func testExhaustedPoolTimesOutWithAClearError() async throws {
        let pool = try makeSharedPool(size: 2, acquireTimeout: .milliseconds(300))
        let (holdStream, holding) = AsyncStream.makeStream(of: Void.self)
        let (releaseStream, release) = AsyncStream.makeStream(of: Void.self)
        let holders = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try await connection.execute("SELECT 1")
                            holding.yield()
                            for await _ in releaseStream { break }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var held = 0
        for await _ in holdStream {
            held += 1
            if held == 2 { break }
        }

        let started = ContinuousClock.now
        let error = await expectPostgresError { try await pool.query("SELECT 1") }
        let waited = ContinuousClock.now - started
        XCTAssertEqual(error?.kind, .poolTimeout)
        XCTAssertTrue(error?.message.contains("300 ms") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("all 2 connections") == true, "\(String(describing: error))")
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(290))
        XCTAssertLessThan(waited, .milliseconds(1500))

        // A waiter is served as soon as a connection comes back.
        let waiter = Task { try await pool.scalar("SELECT 42", as: Int.self) }
        try await Task.sleep(for: .milliseconds(50))
        release.finish()
        let answer = try await waiter.value
        XCTAssertEqual(answer, 42)
        try await holders.value
    }

    func testCancelledWaiterLeavesTheQueue() async throws {
        let pool = try makeSharedPool(size: 1, acquireTimeout: .seconds(30))
        let (releaseStream, release) = AsyncStream.makeStream(of: Void.self)
        let (heldStream, held) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { _ in
                held.yield()
                for await _ in releaseStream { break }
            }
        }
        for await _ in heldStream { break }
        let waiter = Task { try await pool.query("SELECT 1") }
        try await Task.sleep(for: .milliseconds(50))
        let waiting = await pool.statistics.waiting
        XCTAssertEqual(waiting, 1)
        waiter.cancel()
        do {
            _ = try await waiter.value
            XCTFail("a cancelled waiter should throw")
        } catch is CancellationError {}
        let afterCancel = await pool.statistics.waiting
        XCTAssertEqual(afterCancel, 0)
        release.finish()
        try await holder.value
    }

    func testBadURLIsRejectedWithoutThePassword() async throws {
        XCTAssertThrowsError(try PostgresPool(url: "postgresql://u:Sup3rS3cret!@host:70000/db")) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.kind, .invalidConfiguration)
            XCTAssertFalse("\(String(describing: error))".contains("Sup3rS3cret"))
        }
    }

    func testUnreachableServerFailsFastWithoutThePassword() async throws {
        let pool = try PostgresPool(
            url: "postgresql://patchbay:Sup3rS3cret@127.0.0.1:1/patchbay?sslmode=disable")
        let started = ContinuousClock.now
        let error = await expectPostgresError { try await pool.query("SELECT 1") }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        XCTAssertEqual(error?.kind, .connection)
        XCTAssertTrue(error?.isConnectionError == true)
        let text = "\(String(describing: error))"
        XCTAssertTrue(text.contains("127.0.0.1"), text)
        XCTAssertTrue(text.contains("could not connect"), text)
        XCTAssertFalse(text.contains("Sup3rS3cret"), text)
        XCTAssertTrue(text.contains("patchbay:***@"), text)
        // The failed connection does not leak a slot: the pool can try again.
        let again = await expectPostgresError { try await pool.query("SELECT 1") }
        XCTAssertEqual(again?.kind, .connection)
        await pool.close()
    }

    func testConnectsThroughAUnixSocket() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["PATCHBAY_TEST_PG_DIR"],
            let port = environment["PATCHBAY_TEST_PG_PORT"]
        else { throw XCTSkip("PATCHBAY_TEST_PG_DIR and PATCHBAY_TEST_PG_PORT name the socket") }
        let user = try PostgresConfiguration(url: serverURL()).user ?? "patchbay"
        let pool = makePool(
            try PostgresConfiguration(url: "postgresql://\(user)@/patchbay?host=\(directory)&port=\(port)"))
        let address: String? = try await pool.scalar("SELECT inet_client_addr()::text")
        XCTAssertNil(address, "a unix-socket session has no client address")
    }

    func testWrongDatabaseNameIsAConnectionErrorNamingIt() async throws {
        var configuration = try PostgresConfiguration(url: serverURL())
        configuration.database = "no_such_database_here"
        let pool = makePool(configuration)
        let error = await expectPostgresError { try await pool.query("SELECT 1") }
        XCTAssertEqual(error?.kind, .connection)
        XCTAssertTrue(
            error?.message.contains("no_such_database_here") == true, "\(String(describing: error))")
    }

    func testClosedPoolRefusesWork() async throws {
        let pool = try makeSharedPool()
        try await pool.execute("SELECT 1")
        await pool.close()
        let error = await expectPostgresError { try await pool.query("SELECT 1") }
        XCTAssertEqual(error?.kind, .closed)
    }
}
