import Postgres
import XCTest

final class QueryTests: PostgresTestCase {
    func testParametersCannotInjectSQL() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE users (name text)")
        try await pool.execute("INSERT INTO users VALUES ('alice')")
        let attacks = [
            "x'; DROP TABLE users; --",
            "' OR '1'='1",
            "$1",
            "alice' --",
        ]
        for attack in attacks {
            let echoed = try await pool.queryFirst("SELECT $1::text AS v", [attack])
            XCTAssertEqual(try XCTUnwrap(echoed).decode("v", as: String.self), attack)
            let matches = try await pool.query("SELECT name FROM users WHERE name = $1", [attack])
            XCTAssertEqual(matches.count, 0, attack)
        }
        let count = try await pool.queryFirst("SELECT count(*) FROM users")
        XCTAssertEqual(try XCTUnwrap(count).decode(0, as: Int.self), 1)
    }

    func testTextWithNULIsRejectedNotTruncated() async throws {
        let pool = try makeSharedPool()
        let error = await expectPostgresError { try await pool.query("SELECT $1::text", ["a\u{0}b"]) }
        XCTAssertTrue(error?.message.contains("NUL") == true, "\(String(describing: error))")
    }

    func testPreparedStatementsAreReusedPerConnection() async throws {
        let pool = try makeSharedPool(size: 1)
        let sql = "SELECT $1::int8 + 1 AS next"
        let counts = try await pool.withConnection { connection in
            for value in 0..<5 {
                let row = try await connection.queryFirst(sql, [value])
                XCTAssertEqual(try XCTUnwrap(row).decode("next", as: Int.self), value + 1)
            }
            let rows = try await connection.query(
                "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", [sql])
            let total = try await connection.queryFirst("SELECT count(*) FROM pg_prepared_statements")
            return (
                try XCTUnwrap(rows.first).decode("n", as: Int.self),
                try XCTUnwrap(total).decode(0, as: Int.self)
            )
        }
        XCTAssertEqual(counts.0, 1, "the statement is prepared once and reused")
        // The SQL above, the count query and the total query: three statements, however many calls.
        XCTAssertEqual(counts.1, 3)
    }

    func testStatementVanishingFromTheServerIsPreparedAgain() async throws {
        let pool = try makeSharedPool(size: 1)
        try await pool.withConnection { connection in
            _ = try await connection.query("SELECT $1::int8", [1])
            try await connection.execute("DEALLOCATE ALL")
            let row = try await connection.queryFirst("SELECT $1::int8", [2])
            XCTAssertEqual(try XCTUnwrap(row).decode(0, as: Int.self), 2)
        }
    }

    func testServerErrorsCarryTheirFields() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)")
        try await pool.execute("INSERT INTO accounts VALUES ($1)", ["a@example.com"])
        let duplicate = await expectPostgresError {
            try await pool.execute("INSERT INTO accounts VALUES ($1)", ["a@example.com"])
        }
        XCTAssertEqual(duplicate?.kind, .server)
        XCTAssertEqual(duplicate?.sqlState, "23505")
        XCTAssertTrue(duplicate?.isUniqueViolation == true)
        XCTAssertFalse(duplicate?.isConnectionError == true)
        XCTAssertEqual(duplicate?.constraint, "accounts_email_key")
        XCTAssertEqual(duplicate?.table, "accounts")
        XCTAssertTrue(duplicate?.detail?.contains("a@example.com") == true)

        let syntax = await expectPostgresError { try await pool.query("SELEC 1") }
        XCTAssertEqual(syntax?.sqlState, "42601")
        let missing = await expectPostgresError { try await pool.query("SELECT * FROM nowhere") }
        XCTAssertEqual(missing?.sqlState, "42P01")
        // The pool is still fine after errors.
        let row = try await pool.queryFirst("SELECT 1")
        XCTAssertEqual(try XCTUnwrap(row).decode(0, as: Int.self), 1)
    }

    func testRowsAffectedAndCommandTag() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute("CREATE TABLE n (v int)")
        let inserted = try await pool.execute("INSERT INTO n SELECT generate_series(1, $1::int)", [10])
        XCTAssertEqual(inserted, 10)
        let deleted = try await pool.query("DELETE FROM n WHERE v > $1", [7])
        XCTAssertEqual(deleted.rowsAffected, 3)
        XCTAssertEqual(deleted.commandTag, "DELETE 3")
        let rows = try await pool.query("SELECT v FROM n ORDER BY v")
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows.columns.map(\.name), ["v"])
        XCTAssertEqual(rows.columns.first?.type, .int4)
        XCTAssertEqual(try rows.map { try $0.decode("v", as: Int.self) }, Array(1...7))
    }
}
