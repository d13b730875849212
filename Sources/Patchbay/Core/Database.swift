import Foundation
import Postgres

/// Patchbay's way into PostgreSQL: every statement runs in a transaction that names its scope.
///
/// Tenant-owned tables have row-level security keyed on the transaction-local setting
/// `app.tenant_id` (see Migrations/): inside `tenant(_:)` a query that forgets its tenant filter still
/// sees only that tenant's rows, and outside any scope it sees none. Work that must cross tenants
/// (finding a session by its token, seeding the platform catalog, key rotation) says so with
/// `system(_:)`.
public struct Database: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// Runs `body` in one transaction confined to `tenantID`'s rows.
    public func tenant<T>(
        _ tenantID: UUID, readOnly: Bool = false, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        // Set with BEGIN in one round trip; a UUID's text is hex digits and dashes, safe to inline.
        try await pool.transaction(
            readOnly: readOnly,
            prelude: "SELECT set_config('app.tenant_id', '\(tenantID.uuidString.lowercased())', true)"
        ) { connection in
            try await body(connection)
        }
    }

    /// Runs `statements` as one transaction confined to `tenantID`'s rows, all sent in a single round
    /// trip (`PostgresConnection.pipelinedTransaction`); `settings` are further transaction-local
    /// settings. Returns each statement's rows.
    public func tenantPipeline(
        _ tenantID: UUID, readOnly: Bool = false, settings: [(name: String, value: String)] = [],
        _ statements: [PostgresStatement]
    ) async throws -> [PostgresRows] {
        try await pool.pipelinedTransaction(
            readOnly: readOnly, settings: [("app.tenant_id", tenantID.uuidString.lowercased())] + settings,
            statements)
    }

    /// Runs `body` in one transaction that may read and write every tenant's rows.
    public func system<T>(readOnly: Bool = false, _ body: (PostgresConnection) async throws -> T) async throws
        -> T
    {
        try await pool.transaction(
            readOnly: readOnly, prelude: "SELECT set_config('app.scope', 'system', true)"
        ) {
            connection in try await body(connection)
        }
    }
}
