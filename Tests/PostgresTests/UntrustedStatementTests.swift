import Postgres
import XCTest

/// `runUntrusted` against the test server: read-only, rolled back, limited in rows, bytes and time,
/// with columns described even when no row comes back, and the session clean afterwards.
final class UntrustedStatementTests: PostgresTestCase {
    private var pool: PostgresPool!

    override func setUp() async throws {
        pool = makePool(try await makeDatabase(), size: 1)
        try await pool.execute("CREATE TABLE items (id int PRIMARY KEY, name text, data jsonb)")
        try await pool.execute(
            "INSERT INTO items SELECT g, 'item-' || g, jsonb_build_object('n', g) FROM generate_series(1, 50) g"
        )
    }

    private func run(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], maxRows: Int = 100,
        maxBytes: Int = 1 << 20,
        timeout: Duration = .seconds(5)
    ) async throws -> LimitedRows {
        try await pool.withConnection { connection in
            try await connection.runUntrusted(
                sql, parameters,
                limits: StatementLimits(maxRows: maxRows, maxBytes: maxBytes, timeout: timeout))
        }
    }

    func testRowsColumnsAndTypeNames() async throws {
        let result = try await run("SELECT id, name, data FROM items WHERE id <= $1 ORDER BY id", ["3"])
        XCTAssertFalse(result.isTruncated)
        XCTAssertEqual(result.rows.count, 3)
        XCTAssertEqual(result.rows.columns.map(\.name), ["id", "name", "data"])
        XCTAssertEqual(
            result.rows.columns.map { result.typeNames[$0.type.oid] }, ["int4", "text", "jsonb"])
        XCTAssertEqual(try result.rows[2].decode("name", as: String.self), "item-3")

        let none = try await run("SELECT id, name FROM items WHERE id < 0")
        XCTAssertEqual(none.rows.count, 0)
        XCTAssertEqual(none.rows.columns.map(\.name), ["id", "name"], "described without a row")
        let observed1 = try await run("SELECT $1::text IS NULL", [String?.none]).rows[0].decode(
            0, as: Bool.self)
        XCTAssertEqual(observed1, true)
    }

    func testReadOnlyAndRolledBack() async throws {
        do {
            _ = try await run("INSERT INTO items VALUES (100, 'x', '{}')")
            XCTFail("a write went through")
        } catch let error as PostgresError {
            XCTAssertEqual(error.sqlState, "25006")
        }
        // Session settings changed by a statement go with the rollback.
        _ = try await run("SELECT set_config('application_name', 'changed', false)")
        let name: String = try await pool.withConnection { connection in
            try await connection.query("SHOW application_name").first!.decode(0)
        }
        XCTAssertNotEqual(name, "changed")
        do {
            _ = try await run("SELECT 1; SELECT 2")
            XCTFail("two statements ran")
        } catch let error as PostgresError {
            XCTAssertEqual(error.sqlState, "42601")
        }
        let observed2 = try await pool.query("SELECT count(*)::int FROM items").first?.decode(0, as: Int.self)
        XCTAssertEqual(observed2, 50)
    }

    func testRowAndByteLimitsTruncateAndCancel() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        // A hundred million rows, streamed (a lone generate_series would be materialised first).
        let many = try await run(
            "SELECT a * 10000 + b FROM generate_series(0, 9999) a, generate_series(1, 10000) b", maxRows: 10)
        XCTAssertTrue(many.isTruncated)
        XCTAssertEqual(many.rows.count, 10)
        XCTAssertLessThan(clock.now - started, .seconds(3), "the rest was cancelled, not read")

        let exact = try await run("SELECT g FROM generate_series(1, 10) g", maxRows: 10)
        XCTAssertFalse(exact.isTruncated, "exactly the cap is not truncated")

        let wide = try await run("SELECT repeat('x', 1000) FROM generate_series(1, 100)", maxBytes: 4500)
        XCTAssertTrue(wide.isTruncated)
        XCTAssertEqual(wide.rows.count, 4)
        // The session is clean and usable afterwards.
        let observed3 = try await pool.query("SELECT 1").first?.decode(0, as: Int.self)
        XCTAssertEqual(observed3, 1)
    }

    func testStatementTimeout() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await run("SELECT pg_sleep(10)", timeout: .milliseconds(300))
            XCTFail("the sleep finished")
        } catch let error as PostgresError {
            XCTAssertTrue(error.isQueryCanceled, "\(error)")
        }
        XCTAssertLessThan(clock.now - started, .seconds(3))
        let observed4 = try await pool.query("SELECT 2").first?.decode(0, as: Int.self)
        XCTAssertEqual(observed4, 2)
    }

    func testNulInTheStatementIsRefused() async throws {
        do {
            _ = try await run("SELECT 1\u{0}")
            XCTFail("accepted")
        } catch let error as PostgresError {
            XCTAssertEqual(error.kind, .encoding)
        }
    }
}
