import Foundation
import Postgres
import Secrets

/// Invite links: owners create them (single use, expiring); any signed-in account accepts one.
///
/// Only the SHA-256 of the link's token is stored. An unknown, used, revoked or expired token all
/// answer 404 alike.
public struct InviteService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    static let expiryRange = 1...30
    static let notFound = AppError(
        .notFound, "This invite link is not valid: it may have expired, been used or been revoked.")

    public func create(role: Role, expiresInDays: Int?, _ identity: Identity?, request: RequestInfo)
        async throws
        -> NewInvite
    {
        let caller = try Authorization.tenant(for: .membersManage, identity)
        let days = try Validation.days(expiresInDays, field: "expires_in_days", range: Self.expiryRange)
        let lifetime = days.map { $0 * 86400 } ?? environment.identity.inviteLifetime.wholeSeconds
        let token = try Token.generate(bytes: 32)
        return try await environment.database.tenant(caller.tenantID) { connection in
            guard
                let id = try await connection.queryFirst(
                    """
                    INSERT INTO invites (tenant_id, token_hash, role, created_by, expires_at)
                    VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8)) RETURNING id
                    """,
                    [
                        caller.tenantID, try Token.storageHash(token), role.rawValue, caller.identity.userID,
                        lifetime,
                    ]
                )?.decode(0, as: UUID.self),
                let invite = try await find(id, on: connection)
            else { throw AppError(.internal, "The invite was not created.") }
            try await AuditLog.record(
                AuditEntry(
                    tenantID: caller.tenantID, actor: caller.actor, action: "invite.created",
                    targetType: "invite",
                    targetID: id.uuidString.lowercased(),
                    details: ["role": .string(role.rawValue), "expires_in_seconds": .int(Int64(lifetime))]),
                request: request, on: connection)
            return NewInvite(invite: invite, token: token)
        }
    }

    /// Invites not yet accepted, revoked or expired, newest first (owners).
    public func listPending(_ identity: Identity?) async throws -> [Invite] {
        let caller = try Authorization.tenant(for: .membersManage, identity)
        return try await environment.database.tenant(caller.tenantID, readOnly: true) { connection in
            try await connection.query(
                Invite.select + """
                     WHERE i.tenant_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                       AND i.expires_at > now()
                    ORDER BY i.created_at DESC
                    """, [caller.tenantID]
            ).map(Invite.init(row:))
        }
    }

    /// Revokes a pending invite of the caller's tenant; 404 otherwise.
    public func revoke(id: UUID, _ identity: Identity?, request: RequestInfo) async throws {
        let caller = try Authorization.tenant(for: .membersManage, identity)
        try await environment.database.tenant(caller.tenantID) { connection in
            let changed = try await connection.execute(
                """
                UPDATE invites SET revoked_at = now()
                WHERE id = $1 AND tenant_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
                """, [id, caller.tenantID])
            guard changed == 1 else { throw AppError.notFound("The invite") }
            try await AuditLog.record(
                AuditEntry(
                    tenantID: caller.tenantID, actor: caller.actor, action: "invite.revoked",
                    targetType: "invite",
                    targetID: id.uuidString.lowercased()),
                request: request, on: connection)
        }
    }

    private func find(_ id: UUID, on connection: PostgresConnection) async throws -> Invite? {
        try await connection.queryFirst(Invite.select + " WHERE i.id = $1", [id]).map(Invite.init(row:))
    }
}
