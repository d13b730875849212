import Foundation
import Patchbay
import Postgres

/// Bare tenant rows for tests that need tenants but not the identity services.
public enum TestTenants {
    public static func create(_ database: TestDatabase, _ slug: String) async throws -> UUID {
        try await Database(pool: database.pool).system { connection in
            let row = try await connection.queryFirst(
                "INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id", [slug, slug.capitalized])
            return try row!.decode("id")
        }
    }
}
