import Foundation
import Postgres
import Secrets

extension InviteService {
    /// The tenant and role an invite link offers; 404 unless it is pending.
    public func preview(token: String, _ identity: Identity?) async throws -> InvitePreview {
        try Authorization.require(.inviteAccept, identity)
        let hash = try Self.hash(token)
        // The invite belongs to a tenant the caller is not in yet: only the link's secret finds it.
        return try await environment.database.system(readOnly: true) { connection in
            guard
                let row = try await connection.queryFirst(
                    """
                    SELECT t.name, i.role, i.expires_at FROM invites i JOIN tenants t ON t.id = i.tenant_id
                    WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > now()
                    """, [hash])
            else { throw Self.notFound }
            return InvitePreview(
                tenantName: try row.decode("name"), role: Role(rawValue: try row.decode("role")) ?? .viewer,
                expiresAt: try row.decode("expires_at"))
        }
    }

    /// Uses the invite: the caller joins its tenant with its role, and a session switches to that
    /// tenant. 404 unless pending; 409 if the caller is already a member (the invite stays unused).
    public func accept(token: String, _ identity: Identity?, request: RequestInfo) async throws
        -> TenantMembership
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.require(.inviteAccept, identity)
        let (userID, sessionID) = try caller.sessionUser()
        let hash = try Self.hash(token)
        return try await environment.database.system { connection in
            guard
                let row = try await connection.queryFirst(
                    """
                    UPDATE invites SET accepted_at = now(), accepted_by = $2
                    WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
                    RETURNING id, tenant_id, role
                    """, [hash, userID])
            else { throw Self.notFound }
            let inviteID: UUID = try row.decode("id")
            let tenantID: UUID = try row.decode("tenant_id")
            let role: String = try row.decode("role")
            let joined = try await connection.execute(
                """
                INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, user_id) DO NOTHING
                """, [tenantID, userID, role])
            guard joined == 1 else {
                throw AppError(
                    .conflict, "You are already a member of this workspace; the invite was not used.")
            }
            try await connection.execute(
                "UPDATE sessions SET tenant_id = $2 WHERE id = $1", [sessionID, tenantID])
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenantID, actor: AuditActor(caller), action: "invite.accepted",
                    targetType: "invite",
                    targetID: inviteID.uuidString.lowercased(),
                    details: ["email": .string(caller.email), "role": .string(role)]),
                request: request, on: connection)
            guard
                let membership = try await connection.queryFirst(
                    """
                    SELECT m.tenant_id, t.slug, t.name AS tenant_name, m.role
                    FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND m.user_id = $2
                    """, [tenantID, userID]
                ).map(TenantMembership.init(row:))
            else { throw AppError(.internal, "The membership was not saved.") }
            return membership
        }
    }

    static func hash(_ token: String) throws -> String {
        guard !token.isEmpty, token.utf8.count <= 128 else { throw notFound }
        return try Token.storageHash(token)
    }
}
