import Postgres
import XCTest

/// Base for tests against a real server: reads PATCHBAY_TEST_DATABASE_URL (skipping without it),
/// creates throwaway databases for isolation, and closes pools and drops databases afterwards.
class PostgresTestCase: XCTestCase {
    private var pools: [PostgresPool] = []
    private var databases: [String] = []

    /// The server's URL, or a skip when the tests run without a database.
    func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["PATCHBAY_TEST_DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip("PATCHBAY_TEST_DATABASE_URL is not set; start one with scripts/pg.sh")
        }
        return url
    }

    /// A pool on the shared test database (for tests that create no objects).
    func makeSharedPool(size: Int = 4, acquireTimeout: Duration = .seconds(5)) throws -> PostgresPool {
        let pool = PostgresPool(
            configuration: try PostgresConfiguration(url: serverURL()), size: size,
            acquireTimeout: acquireTimeout)
        pools.append(pool)
        return pool
    }

    /// Creates an empty database of its own for this test and returns its configuration.
    func makeDatabase() async throws -> PostgresConfiguration {
        var configuration = try PostgresConfiguration(url: serverURL())
        let name =
            "pgtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = PostgresPool(configuration: configuration, size: 1)
        defer { Task { await admin.close() } }
        // CREATE DATABASE takes no parameters; the name is generated above, never user input.
        try await admin.execute("CREATE DATABASE \(name)")
        databases.append(String(name))
        configuration.database = String(name)
        return configuration
    }

    /// A pool on `configuration`, closed after the test.
    func makePool(
        _ configuration: PostgresConfiguration, size: Int = 4, acquireTimeout: Duration = .seconds(5)
    ) -> PostgresPool {
        let pool = PostgresPool(configuration: configuration, size: size, acquireTimeout: acquireTimeout)
        pools.append(pool)
        return pool
    }

    override func tearDown() async throws {
        for pool in pools { await pool.close() }
        pools.removeAll()
        if !databases.isEmpty {
            let admin = PostgresPool(configuration: try PostgresConfiguration(url: serverURL()), size: 1)
            for name in databases {
                try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
            databases.removeAll()
            await admin.close()
        }
        try await super.tearDown()
    }
}

/// Asserts that `body` throws a `PostgresError` and returns it.
func expectPostgresError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> PostgresError? {
    do {
        let value = try await body()
        XCTFail("expected a PostgresError, got \(value)", file: file, line: line)
    } catch let error as PostgresError {
        return error
    } catch {
        XCTFail("expected a PostgresError, got \(error)", file: file, line: line)
    }
    return nil
}

extension PostgresQueryable {
    /// The first column of the first row.
    func scalar<T: PostgresDecodable>(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], as type: T.Type = T.self
    ) async throws -> T {
        guard let row = try await queryFirst(sql, parameters) else {
            throw PostgresError(.decoding, "the query returned no row: \(sql)")
        }
        return try row.decode(0)
    }
}
