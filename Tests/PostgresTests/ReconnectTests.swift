import Postgres
import XCTest

/// The pool and the listener survive a server restart and a killed backend.
final class ReconnectTests: PostgresTestCase {
    private func clusterSettings() throws -> (directory: String, port: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment["PATCHBAY_TEST_PG_DIR"],
            let port = environment["PATCHBAY_TEST_PG_PORT"],
            !directory.isEmpty, !port.isEmpty
        else {
            throw XCTSkip("PATCHBAY_TEST_PG_DIR and PATCHBAY_TEST_PG_PORT are needed to restart the server")
        }
        return (directory, port)
    }

    /// Runs scripts/pg.sh through posix_spawn and waits for it on a thread of its own.
    ///
    /// Foundation's Process is not used: on Linux it learns of the exit through a descriptor the
    /// child inherits, and the server that `pg.sh start` leaves running would keep it open.
    private func pgScript(_ arguments: [String]) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/pg.sh").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // The server started by the script must not inherit this process's descriptors (pipes a
        // test runner waits on, for instance). glibc's closefrom action is not in the Swift overlay.
        typealias CloseFrom =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, environ)
        XCTAssertEqual(spawned, 0, "posix_spawn \(script)")
        guard spawned == 0 else { return }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        XCTAssertEqual(status, 0, "scripts/pg.sh \(arguments.joined(separator: " ")) exited with \(status)")
    }

    func testPoolAndListenerRecoverAfterServerRestart() async throws {
        let cluster = try clusterSettings()
        let pool = try makeSharedPool(size: 2, acquireTimeout: .seconds(5))
        // Open both connections so that both are stale after the restart.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { try await pool.execute("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        let opened = await pool.statistics.open
        XCTAssertEqual(opened, 2)
        let channel = "restart_" + UUID().uuidString.prefix(8).lowercased()
        let stream = try await pool.listen(channel)

        // A statement running when the server goes down fails too, instead of hanging.
        let inFlight = Task { try await pool.query("SELECT pg_sleep(60)") }
        try await Task.sleep(for: .milliseconds(200))

        var restarted = false
        do {
            try await pgScript(["stop", cluster.directory])
            let interrupted = await expectPostgresError { try await inFlight.value }
            XCTAssertTrue(interrupted?.isConnectionError == true, "\(String(describing: interrupted))")
            let started = ContinuousClock.now
            for _ in 0..<3 {
                let error = await expectPostgresError { try await pool.query("SELECT 1") }
                XCTAssertTrue(error?.isConnectionError == true, "\(String(describing: error))")
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "failures come fast, not as hangs")
            try await pgScript(["start", cluster.directory, cluster.port])
            restarted = true
        } catch {
            if !restarted { try? await pgScript(["start", cluster.directory, cluster.port]) }
            throw error
        }

        // Both stale connections reconnect on their next lease; no call fails once the server is back.
        for _ in 0..<4 {
            let value: Int = try await pool.scalar("SELECT 7")
            XCTAssertEqual(value, 7)
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { try await pool.scalar("SELECT pg_backend_pid() FROM pg_sleep(0.02)") }
            }
            for try await pid in group { XCTAssertGreaterThan(pid, 0) }
        }

        // The listener reconnects by itself and LISTENs again; notify until it hears one. One
        // iterator waits throughout: cancelling an AsyncStream's iteration would end the stream.
        let sender = Task {
            while !Task.isCancelled {
                try? await pool.notify(channel, payload: "back")
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        let received = await NotificationTests.next(stream, within: .seconds(20))
        sender.cancel()
        XCTAssertEqual(received?.payload, "back")
    }

    func testKilledBackendFailsItsTransactionThenThePoolRecovers() async throws {
        let pool = makePool(try await makeDatabase(), size: 2)
        try await pool.execute("CREATE TABLE items (v int)")
        let error = await expectPostgresError {
            try await pool.transaction { connection in
                try await connection.execute("INSERT INTO items VALUES (1)")
                let pid: Int = try await connection.scalar("SELECT pg_backend_pid()")
                // Another pooled connection kills this session mid-transaction.
                try await pool.execute("SELECT pg_terminate_backend($1::int)", [pid])
                try await Task.sleep(for: .milliseconds(100))
                // The statement after the kill fails; it must not quietly run on a new session.
                try await connection.execute("INSERT INTO items VALUES (2)")
            }
        }
        XCTAssertTrue(error?.isConnectionError == true, "\(String(describing: error))")
        let count: Int = try await pool.scalar("SELECT count(*) FROM items")
        XCTAssertEqual(count, 0, "nothing of the killed transaction was committed")
    }
}
