import Foundation
import Glibc
import Postgres
import XCTest

final class PipelineTests: PostgresTestCase {
    private func count(_ pool: PostgresPool) async throws -> Int {
        try await pool.scalar("SELECT count(*) FROM items")
    }

    func testEachStatementAnswersInOrder() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v int PRIMARY KEY, label text)")
        let results = try await pool.withConnection { connection in
            try await connection.pipeline([
                PostgresStatement("INSERT INTO items VALUES ($1, $2) RETURNING v * 10", [1, "one"]),
                PostgresStatement(
                    "INSERT INTO items VALUES ($1, $2), ($3, $4)", [2, "two", 3, nil as String?]),
                PostgresStatement("SELECT label FROM items ORDER BY v"),
            ])
        }
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(try results[0].first?.decode(0, as: Int.self), 10)
        XCTAssertEqual(results[1].rowsAffected, 2)
        XCTAssertEqual(try results[2].map { try $0.decode(0, as: String?.self) }, ["one", "two", nil])
    }

    func testWithoutBeginThePipelineIsOneImplicitTransaction() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v int PRIMARY KEY)")
        let error = await expectPostgresError {
            try await pool.withConnection { connection in
                try await connection.pipeline([
                    PostgresStatement("INSERT INTO items VALUES ($1)", [1]),
                    PostgresStatement("INSERT INTO items VALUES ($1)", [1]),
                ])
            }
        }
        XCTAssertEqual(error?.sqlState, "23505")
        let remaining = try await count(pool)
        XCTAssertEqual(remaining, 0, "the first insert was rolled back with the failing one")
    }

    func testTransactionCommitsAllOrNothing() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v int PRIMARY KEY)")
        let rows = try await pool.pipelinedTransaction([
            PostgresStatement("INSERT INTO items VALUES ($1)", [1]),
            PostgresStatement("SELECT count(*) FROM items"),
        ])
        XCTAssertEqual(rows.count, 2, "only the caller's statements answer, not BEGIN and COMMIT")
        XCTAssertEqual(try rows[1].first?.decode(0, as: Int.self), 1)

        let error = await expectPostgresError {
            try await pool.pipelinedTransaction([
                PostgresStatement("INSERT INTO items VALUES ($1)", [2]),
                PostgresStatement("INSERT INTO items VALUES ($1)", [1]),
                PostgresStatement("INSERT INTO items VALUES ($1)", [3]),
            ])
        }
        XCTAssertEqual(
            error?.sqlState, "23505", "the failing statement's own error: \(String(describing: error))")
        let remaining = try await count(pool)
        // Asked on the pool's one connection: it would answer 25P02 had the failed transaction stayed open.
        XCTAssertEqual(
            remaining, 1, "the statement before the failure was rolled back, the one after never ran")
    }

    func testSettingsLastForTheTransactionOnly() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        let rows = try await pool.pipelinedTransaction(
            settings: [("app.colour", "teal"), ("statement_timeout", "1234")],
            [PostgresStatement("SELECT current_setting('app.colour'), current_setting('statement_timeout')")])
        XCTAssertEqual(try rows[0].first?.decode(0, as: String.self), "teal")
        XCTAssertEqual(try rows[0].first?.decode(1, as: String.self), "1234ms")
        let after: String? = try await pool.scalar("SELECT nullif(current_setting('app.colour', true), '')")
        XCTAssertNil(after, "a transaction-local setting must not leak into the next lease")
    }

    func testReadOnlyRefusesWrites() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v int)")
        let error = await expectPostgresError {
            try await pool.pipelinedTransaction(
                readOnly: true, [PostgresStatement("INSERT INTO items VALUES (1)")])
        }
        XCTAssertEqual(error?.sqlState, "25006")
        let remaining = try await count(pool)
        XCTAssertEqual(remaining, 0)
    }

    func testStatementsDeallocatedBySomeoneElseArePreparedAgain() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        let statement = PostgresStatement("SELECT $1::int + 1", [41])
        let first = try await pool.pipelinedTransaction([statement])
        XCTAssertEqual(try first[0].first?.decode(0, as: Int.self), 42)
        try await pool.withConnection { connection in _ = try await connection.execute("DEALLOCATE ALL") }
        let again = try await pool.pipelinedTransaction([statement])
        XCTAssertEqual(try again[0].first?.decode(0, as: Int.self), 42)
    }

    func testUnencodableParameterSendsNothing() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v text)")
        let error = await expectPostgresError {
            try await pool.pipelinedTransaction([
                PostgresStatement("INSERT INTO items VALUES ($1)", ["fine"]),
                PostgresStatement("INSERT INTO items VALUES ($1)", ["nul\u{0}inside"]),
            ])
        }
        XCTAssertEqual(error?.kind, .encoding)
        let remaining = try await count(pool)
        XCTAssertEqual(remaining, 0, "nothing of the pipeline may run when one parameter cannot be sent")
    }

    func testBrokenSessionReconnectsOnTheNextLease() async throws {
        let database = try await makeDatabase()
        let pool = makePool(database, size: 1)
        let pid: Int = try await pool.scalar("SELECT pg_backend_pid()")
        let admin = makePool(database, size: 1)
        let killed: Bool = try await admin.scalar("SELECT pg_terminate_backend($1::int)", [pid])
        XCTAssertTrue(killed)
        try await Task.sleep(for: .milliseconds(100))
        let rows = try await pool.pipelinedTransaction([PostgresStatement("SELECT 7")])
        XCTAssertEqual(try rows[0].first?.decode(0, as: Int.self), 7)
    }

    func testSessionLostInsideAPipelineIsReplacedOnTheNextLease() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        let error = await expectPostgresError {
            try await pool.pipelinedTransaction([
                PostgresStatement("SELECT pg_terminate_backend(pg_backend_pid())"),
                PostgresStatement("SELECT 1"),
            ])
        }
        XCTAssertEqual(error?.kind, .connection, "\(String(describing: error))")
        let rows = try await pool.pipelinedTransaction([PostgresStatement("SELECT 8")])
        XCTAssertEqual(try rows[0].first?.decode(0, as: Int.self), 8)
    }
}

/// Waits for sockets the way an event loop would, counting the waits: pipelines read their answers
/// through it instead of the connection's thread.
private final class CountingWaiter: PostgresSocketWaiter, @unchecked Sendable {
    private let lock = NSLock()
    private var waits = 0
    var count: Int { lock.withLock { waits } }
    var isAvailable: Bool { true }

    func waitUntilReadable(_ descriptor: Int32) async -> Bool {
        lock.withLock { waits += 1 }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var socket = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&socket, 1, 5000)
                continuation.resume()
            }
        }
        return true
    }
}

extension PipelineTests {
    func testAnswersAreAwaitedThroughTheSocketWaiterOnceStatementsArePrepared() async throws {
        let waiter = CountingWaiter()
        let pool = PostgresPool(configuration: try await makeDatabase(), size: 1, socketWaiter: waiter)
        defer { Task { await pool.close() } }
        try await pool.execute("CREATE TABLE items (v int PRIMARY KEY)")
        let insert = { (value: Int) in PostgresStatement("INSERT INTO items VALUES ($1) RETURNING v", [value])
        }
        let summary = PostgresStatement("SELECT current_setting('app.colour'), count(*) FROM items")
        // The first run prepares its statements, which only the connection's thread may do.
        _ = try await pool.pipelinedTransaction(settings: [("app.colour", "red")], [insert(1), summary])
        let before = waiter.count
        let rows = try await pool.pipelinedTransaction(
            settings: [("app.colour", "teal")], [insert(2), summary])
        XCTAssertGreaterThan(waiter.count, before, "the answers were awaited through the waiter")
        XCTAssertEqual(try rows[0].first?.decode(0, as: Int.self), 2)
        XCTAssertEqual(try rows[1].first?.decode(0, as: String.self), "teal")
        XCTAssertEqual(try rows[1].first?.decode(1, as: Int.self), 2)

        let error = await expectPostgresError { try await pool.pipelinedTransaction([insert(3), insert(1)]) }
        XCTAssertEqual(error?.sqlState, "23505")
        let count: Int = try await pool.scalar("SELECT count(*) FROM items")
        XCTAssertEqual(count, 2, "the failed transaction was rolled back")

        try await pool.withConnection { connection in _ = try await connection.execute("DEALLOCATE ALL") }
        let again = try await pool.pipelinedTransaction([insert(4)])
        XCTAssertEqual(
            try again[0].first?.decode(0, as: Int.self), 4, "vanished statements are prepared again")
    }
}
