import Foundation
import Postgres

/// SQL for memberships, run inside a tenant scope.
enum MemberQueries {
    static let select = """
        SELECT m.user_id, u.email, u.name, m.role, m.created_at
        FROM memberships m JOIN users u ON u.id = m.user_id
        """

    static func list(tenantID: UUID, on connection: PostgresConnection) async throws -> [Member] {
        try await connection.query(
            select + " WHERE m.tenant_id = $1 ORDER BY lower(u.email)", [tenantID]
        ).map(Member.init(row:))
    }

    static func member(_ userID: UUID, tenantID: UUID, on connection: PostgresConnection) async throws
        -> Member?
    {
        try await connection.queryFirst(
            select + " WHERE m.tenant_id = $1 AND m.user_id = $2", [tenantID, userID]
        ).map(Member.init(row:))
    }

    /// Locks the tenant's owner rows and counts them, so two concurrent demotions cannot both pass
    /// the "last owner" check.
    static func lockedOwnerCount(tenantID: UUID, on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            "SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'owner' FOR UPDATE", [tenantID]
        ).count
    }
}
