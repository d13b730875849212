import Foundation
import Logging
import PatchbayWeb
import Postgres
import XCTest

/// A fresh, empty database on the test server for one test case, dropped when the case ends.
///
/// `make test` starts a throwaway PostgreSQL and exports `PATCHBAY_TEST_DATABASE_URL`; tests that need a
/// database skip with a clear message when it is missing.
public final class TestDatabase: Sendable {
    public let url: String
    public let name: String
    public let pool: PostgresPool
    private let adminURL: String

    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["PATCHBAY_TEST_DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip("PATCHBAY_TEST_DATABASE_URL is not set: run the tests with `make test`.")
        }
        return url
    }

    /// Creates `patchbay_test_<random>` and a pool on it.
    public static func create(poolSize: Int = 4) async throws -> TestDatabase {
        let admin = try adminURL()
        let name =
            "patchbay_test_"
            + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await withAdminPool(admin) { pool in
            try await pool.execute("CREATE DATABASE \(name)")
        }
        return try TestDatabase(adminURL: admin, name: String(name), poolSize: poolSize)
    }

    private init(adminURL: String, name: String, poolSize: Int) throws {
        self.adminURL = adminURL
        self.name = name
        self.url = Self.replacingDatabase(in: adminURL, with: name)
        self.pool = try PostgresPool(
            url: url, size: poolSize, acquireTimeout: .seconds(5), logger: Logger(label: "test.db"),
            socketWaiter: EventLoopSocketWaiter())
    }

    /// Closes the pool and drops the database, even while other sessions are connected.
    public func drop() async {
        await pool.close()
        try? await Self.withAdminPool(adminURL) { pool in
            try await pool.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// Applies the project's migrations.
    public func migrate() async throws {
        try await Migrator(pool: pool, directory: ProjectRoot.path + "/Migrations").migrate()
    }

    private static func withAdminPool(_ url: String, _ body: (PostgresPool) async throws -> Void) async throws
    {
        try await withSinglePool(try PostgresConfiguration(url: url), body)
    }

    /// Runs `body` with a one-connection pool on `configuration`, closed afterwards whatever happens.
    public static func withSinglePool(
        _ configuration: PostgresConfiguration, _ body: (PostgresPool) async throws -> Void
    ) async throws {
        let pool = PostgresPool(configuration: configuration, size: 1)
        do {
            try await body(pool)
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}

/// The folder holding Package.swift, found from this file's location.
public enum ProjectRoot {
    public static let path: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()
}
