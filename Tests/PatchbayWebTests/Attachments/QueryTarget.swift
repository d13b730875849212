import Foundation
import Postgres
import TestSupport
import XCTest

/// A database and a login role of their own on the test cluster, for the query tests to point
/// connectors at; dropped afterwards. Table `items` has 2,500 rows of assorted types.
struct QueryTarget {
    let host: String
    let port: Int
    let database: String
    let role: String

    static func create() async throws -> QueryTarget {
        let admin = try PostgresConfiguration(url: try TestDatabase.adminURL())
        guard let host = admin.host, host == "127.0.0.1" || host == "localhost" else {
            throw XCTSkip("the query tests need the test cluster on 127.0.0.1")
        }
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let target = QueryTarget(
            host: "127.0.0.1", port: admin.port ?? 5432, database: "query_\(suffix)", role: "agent_\(suffix)")
        // Names are generated above, never input: DDL takes no parameters. Creating a role needs the
        // cluster's superuser (scripts/pg.sh trusts `postgres` on 127.0.0.1).
        let superuser = Self.superuser(admin)
        try await TestDatabase.withSinglePool(superuser) { pool in
            try await pool.execute("CREATE ROLE \(target.role) LOGIN PASSWORD 'not-used-by-trust-auth'")
            try await pool.execute("CREATE DATABASE \(target.database) OWNER \(target.role)")
        }
        var inside = superuser
        inside.database = target.database
        try await TestDatabase.withSinglePool(inside) { pool in
            try await pool.execute(
                """
                CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10, 2), ratio float8,
                                    active boolean, data jsonb, created date, tags text[])
                """)
            try await pool.execute(
                """
                INSERT INTO items
                SELECT g, 'item-' || g, g * 1.25, g / 4.0, g % 2 = 0, jsonb_build_object('n', g, 'even', g % 2 = 0),
                       date '2024-01-01' + g, ARRAY['t' || g]
                FROM generate_series(1, 2500) g
                """)
            try await pool.execute("CREATE SCHEMA sales")
            try await pool.execute("CREATE TABLE sales.orders (id int)")
            try await pool.execute("INSERT INTO sales.orders VALUES (7)")
            try await pool.execute("GRANT USAGE ON SCHEMA sales TO \(target.role)")
            try await pool.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public, sales TO \(target.role)")
        }
        return target
    }

    func drop() async {
        guard let admin = try? PostgresConfiguration(url: try TestDatabase.adminURL()) else { return }
        try? await TestDatabase.withSinglePool(Self.superuser(admin)) { pool in
            try await pool.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try await pool.execute("DROP ROLE IF EXISTS \(role)")
        }
    }

    /// The test cluster's superuser, on the same host and port as the tests' own role.
    private static func superuser(_ admin: PostgresConfiguration) -> PostgresConfiguration {
        var superuser = admin
        superuser.user = ProcessInfo.processInfo.environment["PATCHBAY_TEST_PG_SUPERUSER"] ?? "postgres"
        superuser.password = nil
        superuser.database = "postgres"
        return superuser
    }
}
