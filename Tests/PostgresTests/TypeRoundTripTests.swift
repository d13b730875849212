import Postgres
import XCTest

/// Every supported Swift type goes to the server as a parameter and comes back decoded.
final class TypeRoundTripTests: PostgresTestCase {
    private func roundTrip<T: PostgresEncodable & PostgresDecodable & Equatable>(
        _ value: T, cast: String, _ pool: PostgresPool, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let row = try await XCTUnwrapAsync(await pool.queryFirst("SELECT $1::\(cast) AS v", [value]))
        let decoded = try row.decode("v", as: T.self)
        XCTAssertEqual(decoded, value, "\(cast)", file: file, line: line)
        XCTAssertEqual(try row.decode(0, as: T.self), value, file: file, line: line)
    }

    func testScalarsRoundTrip() async throws {
        let pool = try makeSharedPool()
        try await roundTrip("héllo wörld ✓ 🎛️ 日本語", cast: "text", pool)
        try await roundTrip("", cast: "text", pool)
        try await roundTrip("it's \"quoted\" \\ back", cast: "varchar", pool)
        try await roundTrip(Int.max, cast: "int8", pool)
        try await roundTrip(Int.min, cast: "int8", pool)
        try await roundTrip(Int64(-42), cast: "int8", pool)
        try await roundTrip(Int32.max, cast: "int4", pool)
        try await roundTrip(Int16.min, cast: "int2", pool)
        try await roundTrip(3.141592653589793, cast: "float8", pool)
        try await roundTrip(-0.000001234, cast: "float8", pool)
        try await roundTrip(Double.infinity, cast: "float8", pool)
        try await roundTrip(Float(1.5), cast: "float4", pool)
        try await roundTrip(true, cast: "bool", pool)
        try await roundTrip(false, cast: "bool", pool)
        try await roundTrip(UUID(), cast: "uuid", pool)
        try await roundTrip(PostgresJSON(#"{"a": [1, 2, {"b": "ü"}]}"#), cast: "jsonb", pool)
        try await roundTrip([UInt8](), cast: "bytea", pool)
        try await roundTrip([0, 0, 1, 255, 0, 92, 120] as [UInt8], cast: "bytea", pool)
        try await roundTrip(Array((0...255).map(UInt8.init)), cast: "bytea", pool)
    }

    func testNaNAndDates() async throws {
        let pool = try makeSharedPool()
        let nan = try await pool.queryFirst("SELECT $1::float8", [Double.nan])
        XCTAssertTrue(try XCTUnwrap(nan).decode(0, as: Double.self).isNaN)

        for seconds in [1_700_000_000.123456, 0, -86_400.5, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: seconds)
            let row = try await pool.queryFirst("SELECT $1::timestamptz", [date])
            let decoded = try XCTUnwrap(row).decode(0, as: Date.self)
            XCTAssertEqual(decoded.timeIntervalSince1970, seconds, accuracy: 1e-6)
        }
        let fixed = try await pool.queryFirst(
            """
            SELECT '2024-02-29 12:30:00+02'::timestamptz AS tz, '2024-02-29 12:30:00'::timestamp AS ts,
                   '2024-02-29'::date AS d, 'infinity'::timestamptz AS inf
            """)
        let row = try XCTUnwrap(fixed)
        XCTAssertEqual(try row.decode("tz", as: Date.self).timeIntervalSince1970, 1_709_202_600)
        XCTAssertEqual(try row.decode("ts", as: Date.self).timeIntervalSince1970, 1_709_209_800)
        XCTAssertEqual(try row.decode("d", as: Date.self).timeIntervalSince1970, 1_709_164_800)
        XCTAssertEqual(try row.decode("inf", as: Date.self), .distantFuture)
    }

    func testSessionTimeZoneDoesNotChangeInstants() async throws {
        let pool = try makeSharedPool(size: 1)
        let date = Date(timeIntervalSince1970: 1_600_000_000.5)
        try await pool.withConnection { connection in
            try await connection.execute("SET TimeZone TO 'Asia/Kolkata'")
            let row = try await connection.queryFirst("SELECT $1::timestamptz, $1::timestamptz::text", [date])
            XCTAssertEqual(try XCTUnwrap(row).decode(0, as: Date.self), date)
            XCTAssertTrue(try XCTUnwrap(row).decode(1, as: String.self).hasSuffix("+05:30"))
            try await connection.execute("RESET TimeZone")
        }
    }

    func testArraysRoundTrip() async throws {
        let pool = try makeSharedPool()
        try await roundTrip(
            ["a", "b c", "q\"u'o,te", "back\\slash", "NULL", "", "ünï"], cast: "text[]", pool)
        try await roundTrip([String](), cast: "text[]", pool)
        try await roundTrip(["x", nil, "z"] as [String?], cast: "text[]", pool)
        try await roundTrip([1, -2, Int.max], cast: "int8[]", pool)
        try await roundTrip([Int32(1), 2, 3], cast: "int4[]", pool)
        try await roundTrip([Int](), cast: "int[]", pool)
        try await roundTrip([UUID(), UUID()], cast: "uuid[]", pool)
        try await roundTrip([UUID](), cast: "uuid[]", pool)
        try await roundTrip([true, false], cast: "bool[]", pool)
        try await roundTrip([1.5, -2.25], cast: "float8[]", pool)
        // Arrays typed int4[] decode into [Int] as well.
        let row = try await pool.queryFirst("SELECT ARRAY[1,2,3]::int4[], ARRAY['a']::varchar[]")
        XCTAssertEqual(try XCTUnwrap(row).decode(0, as: [Int].self), [1, 2, 3])
        XCTAssertEqual(try XCTUnwrap(row).decode(1, as: [String].self), ["a"])
        let ids = try await pool.query("SELECT x FROM unnest($1::int8[]) AS x ORDER BY x", [[3, 1, 2]])
        XCTAssertEqual(try ids.map { try $0.decode("x", as: Int.self) }, [1, 2, 3])
    }

    func testNullsDecodeAsOptionalAndFailOtherwise() async throws {
        let pool = try makeSharedPool()
        let none: String? = nil
        let noneInt: Int? = nil
        let row = try await XCTUnwrapAsync(
            await pool.queryFirst("SELECT $1::text AS s, $2::int8 AS i, NULL::uuid AS u", [none, noneInt]))
        XCTAssertNil(try row.decode("s", as: String?.self))
        XCTAssertNil(try row.decode("i", as: Int?.self))
        XCTAssertNil(try row.decode("u", as: UUID?.self))
        XCTAssertNil(try row.decode("u", as: [UInt8]?.self))
        XCTAssertThrowsError(try row.decode("s", as: String.self)) { error in
            let message = (error as? PostgresError)?.message ?? ""
            XCTAssertTrue(message.contains("'s'") && message.contains("NULL"), message)
        }
        let some: Int? = 7
        let filled = try await pool.queryFirst("SELECT $1::int8", [some])
        XCTAssertEqual(try XCTUnwrap(filled).decode(0, as: Int?.self), 7)
    }

    func testNumericAndOtherTypesAsText() async throws {
        let pool = try makeSharedPool()
        let row = try await XCTUnwrapAsync(
            await pool.queryFirst(
                "SELECT 12345678901234567890.123::numeric AS n, '10.0.0.1'::inet AS ip, '{\"k\":1}'::json AS j"
            ))
        XCTAssertEqual(try row.decode("n", as: String.self), "12345678901234567890.123")
        XCTAssertEqual(try row.decode("n", as: Double.self), 12345678901234567890.123, accuracy: 1e4)
        XCTAssertEqual(try row.decode("ip", as: String.self), "10.0.0.1")
        XCTAssertEqual(try row.decode("j", as: PostgresJSON.self).text, "{\"k\":1}")
        XCTAssertEqual(try row.decode("j", as: [UInt8].self), Array("{\"k\":1}".utf8))
    }

    func testDecodingErrorsNameColumnAndTypes() async throws {
        let pool = try makeSharedPool()
        let row = try await XCTUnwrapAsync(
            await pool.queryFirst("SELECT 'abc'::text AS label, 70000::int4 AS big, 1::int4 AS one"))
        let mismatch = try XCTUnwrapError { try row.decode("label", as: Int.self) }
        XCTAssertEqual(mismatch.kind, .decoding)
        XCTAssertTrue(mismatch.message.contains("'label'"), mismatch.message)
        XCTAssertTrue(mismatch.message.contains("text"), mismatch.message)
        XCTAssertTrue(mismatch.message.contains("Int"), mismatch.message)
        let range = try XCTUnwrapError { try row.decode("big", as: Int16.self) }
        XCTAssertTrue(range.message.contains("out of range"), range.message)
        let missing = try XCTUnwrapError { try row.decode("nope", as: Int.self) }
        XCTAssertTrue(missing.message.contains("label, big, one"), missing.message)
        let notArray = try XCTUnwrapError { try row.decode("one", as: [Int].self) }
        XCTAssertTrue(notArray.message.contains("not an array"), notArray.message)
        XCTAssertThrowsError(try row.decode(9, as: Int.self))
    }

    func testValuesThroughATable() async throws {
        let pool = makePool(try await makeDatabase())
        try await pool.execute(
            """
            CREATE TABLE things (id uuid PRIMARY KEY, name text NOT NULL, tags text[] NOT NULL,
                blob bytea, doc jsonb, seen timestamptz, score float8, n int4)
            """)
        let id = UUID()
        let blob: [UInt8] = [0, 0, 0, 7]
        let inserted = try await pool.execute(
            "INSERT INTO things VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [
                id, "Ωmega", ["x", "y"], blob, PostgresJSON(#"{"z":true}"#), Date(timeIntervalSince1970: 5),
                0.5, 3,
            ])
        XCTAssertEqual(inserted, 1)
        // A plain String also fills a jsonb column: its parameter type is left to the server.
        try await pool.execute("UPDATE things SET doc = $1 WHERE id = $2", [#"{"z":false}"#, id])
        let row = try await XCTUnwrapAsync(await pool.queryFirst("SELECT * FROM things WHERE id = $1", [id]))
        XCTAssertEqual(try row.decode("name", as: String.self), "Ωmega")
        XCTAssertEqual(try row.decode("tags", as: [String].self), ["x", "y"])
        XCTAssertEqual(try row.decode("blob", as: [UInt8].self), blob)
        XCTAssertEqual(try row.decode("doc", as: String.self), #"{"z": false}"#)
        XCTAssertEqual(try row.decode("seen", as: Date.self), Date(timeIntervalSince1970: 5))
        XCTAssertEqual(try row.decode("n", as: Int.self), 3)
    }
}

func XCTUnwrapAsync<T>(
    _ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line
) async throws -> T {
    let unwrapped = try await value()
    return try XCTUnwrap(unwrapped, file: file, line: line)
}

/// Runs `body`, which must throw a `PostgresError`, and returns the error.
func XCTUnwrapError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) throws
    -> PostgresError
{
    do {
        _ = try body()
    } catch let error as PostgresError {
        return error
    }
    XCTFail("expected a PostgresError", file: file, line: line)
    throw PostgresError(.decoding, "no error thrown")
}
