import Postgres
import XCTest

final class TransactionTests: PostgresTestCase {
    private struct Boom: Error {}

    private func count(_ pool: PostgresPool) async throws -> Int {
        try await pool.scalar("SELECT count(*) FROM items")
    }

    func testCommitAndRollbackOnThrow() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE items (v int)")

        let pids = try await pool.transaction { connection in
            try await connection.execute("INSERT INTO items VALUES (1)")
            let first: Int = try await connection.scalar("SELECT pg_backend_pid()")
            try await connection.execute("INSERT INTO items VALUES (2)")
            let second: Int = try await connection.scalar("SELECT pg_backend_pid()")
            return (first, second)
        }
        XCTAssertEqual(pids.0, pids.1, "every statement of the transaction runs on one session")
        let afterCommit = try await count(pool)
        XCTAssertEqual(afterCommit, 2)

        do {
            try await pool.transaction { connection in
                try await connection.execute("INSERT INTO items VALUES (3)")
                let inside: Int = try await connection.scalar("SELECT count(*) FROM items")
                XCTAssertEqual(inside, 3)
                throw Boom()
            }
            XCTFail("the transaction should rethrow")
        } catch is Boom {}
        let afterRollback = try await count(pool)
        XCTAssertEqual(afterRollback, 2)
    }

    func testSwallowedStatementErrorStillFailsTheTransaction() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE items (v int PRIMARY KEY)")
        let error = await expectPostgresError {
            try await pool.transaction { connection in
                try await connection.execute("INSERT INTO items VALUES (1)")
                _ = try? await connection.execute("INSERT INTO items VALUES (1)")
            }
        }
        XCTAssertTrue(error?.message.contains("rolled back") == true, "\(String(describing: error))")
        let remaining = try await count(pool)
        XCTAssertEqual(remaining, 0)
    }

    func testIsolationLevelAndReadOnly() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE items (v int)")
        let level: String = try await pool.transaction(isolation: .serializable) { connection in
            try await connection.scalar("SHOW transaction_isolation")
        }
        XCTAssertEqual(level, "serializable")
        let error = await expectPostgresError {
            try await pool.transaction(readOnly: true) { connection in
                try await connection.execute("INSERT INTO items VALUES (1)")
            }
        }
        XCTAssertEqual(error?.sqlState, "25006")
    }

    func testAPreludeRunsInsideTheTransactionAndEndsWithIt() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        let inside: String = try await pool.transaction(
            readOnly: true, prelude: "SELECT set_config('app.marker', 'prelude', true)"
        ) { connection in
            try await connection.scalar("SELECT current_setting('app.marker')")
        }
        XCTAssertEqual(inside, "prelude")
        let after: String = try await pool.scalar("SELECT coalesce(current_setting('app.marker', true), '')")
        XCTAssertEqual(after, "", "transaction-local: gone with the transaction, on the same session")
        let error = await expectPostgresError {
            try await pool.transaction(prelude: "SELECT 1/0") { _ in }
        }
        XCTAssertEqual(error?.sqlState, "22012", "a failing prelude fails the transaction")
        let healthy: Int = try await pool.scalar("SELECT 1")
        XCTAssertEqual(healthy, 1, "and leaves the connection usable")
    }

    func testTransactionLeftOpenByABorrowerIsRolledBack() async throws {
        let pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (v int)")
        try await pool.withConnection { connection in
            try await connection.execute("BEGIN")
            try await connection.execute("INSERT INTO items VALUES (1)")
        }
        // Inside the abandoned transaction the INSERT would have assigned a transaction ID.
        let inheritedTransaction: Bool = try await pool.scalar(
            "SELECT txid_current_if_assigned() IS NOT NULL")
        XCTAssertFalse(inheritedTransaction, "the next borrower is not inside the abandoned transaction")
        let remaining = try await count(pool)
        XCTAssertEqual(remaining, 0)
    }
}
