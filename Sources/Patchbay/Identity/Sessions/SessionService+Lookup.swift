import Foundation
import JSON
import Postgres
import Secrets

extension SessionService {
    /// The identity behind a session cookie, or nil when the session is unknown or has expired
    /// (idle or absolute). Refreshes the idle expiry at most once per `sessionTouchInterval`.
    /// Served from the identity cache when it can be (see `IdentityCache`).
    public func authenticate(token: String) async throws -> Identity? {
        guard !token.isEmpty, token.utf8.count <= 128 else { return nil }
        let hash = try Token.storageHash(token)
        return try await environment.identityCache.identity(forTokenHash: hash) {
            try await lookup(tokenHash: hash)
        }
    }

    private func lookup(tokenHash hash: String) async throws -> (Identity, expiresAt: Date)? {
        try await environment.database.system { connection in
            guard
                let row = try await connection.queryFirst(
                    """
                    SELECT s.id, s.user_id, s.csrf_token, u.email, u.name, u.is_superuser,
                           m.tenant_id, t.slug, t.name AS tenant_name, m.role,
                           s.last_seen_at <= now() - make_interval(secs => $2::float8) AS needs_touch,
                           least(s.idle_expires_at, s.absolute_expires_at) AS expires_at,
                           (SELECT coalesce(json_agg(json_build_object(
                                       'id', m2.tenant_id, 'slug', t2.slug, 'name', t2.name, 'role', m2.role)
                                       ORDER BY m2.created_at, t2.slug), '[]')::text
                            FROM memberships m2 JOIN tenants t2 ON t2.id = m2.tenant_id
                            WHERE m2.user_id = s.user_id) AS memberships
                    FROM sessions s
                    JOIN users u ON u.id = s.user_id
                    LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
                    LEFT JOIN tenants t ON t.id = m.tenant_id
                    WHERE s.token_hash = $1 AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
                    """, [hash, settings.sessionTouchInterval.wholeSeconds])
            else { return nil }
            let sessionID: UUID = try row.decode("id")
            if try row.decode("needs_touch", as: Bool.self) {
                try await connection.execute(
                    """
                    UPDATE sessions SET last_seen_at = now(),
                        idle_expires_at = least(now() + make_interval(secs => $2::float8), absolute_expires_at)
                    WHERE id = $1
                    """, [sessionID, settings.sessionIdleTimeout.wholeSeconds])
            }
            // A membership removed since login leaves the session without a tenant.
            let tenant =
                try row.decode("tenant_id", as: UUID?.self) == nil ? nil : try TenantMembership(row: row)
            let identity = Identity(
                userID: try row.decode("user_id"), email: try row.decode("email"),
                name: try row.decode("name"),
                tenant: tenant, isSuperuser: try row.decode("is_superuser"),
                method: .session(id: sessionID, csrfToken: try row.decode("csrf_token")),
                memberships: Self.memberships(fromJSON: try row.decode("memberships")))
            return (identity, try row.decode("expires_at", as: Date.self))
        }
    }

    /// The switcher's list, read from the lookup's `json_agg` (one round trip for the whole identity).
    static func memberships(fromJSON text: String) -> [TenantMembership] {
        guard case .array(let items)? = try? JSON(parsing: text) else { return [] }
        return items.compactMap { item in
            guard let id = item["id"]?.string.flatMap(UUID.init(uuidString:)),
                let slug = item["slug"]?.string,
                let name = item["name"]?.string, let role = item["role"]?.string.flatMap(Role.init(rawValue:))
            else { return nil }
            return TenantMembership(tenantID: id, slug: slug, name: name, role: role)
        }
    }

    /// Ends the caller's session.
    public func logout(_ identity: Identity?, request: RequestInfo) async throws {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.require(.sessionManage, identity)
        let (_, sessionID) = try caller.sessionUser()
        try await environment.database.system { connection in
            try await connection.execute("DELETE FROM sessions WHERE id = $1", [sessionID])
            try await AuditLog.record(
                AuditEntry(
                    tenantID: caller.tenant?.tenantID, actor: AuditActor(caller), action: "session.logout",
                    targetType: "session", targetID: sessionID.uuidString.lowercased()),
                request: request, on: connection)
        }
    }

    /// Makes `tenantID` the session's current tenant; 404 unless the user is a member of it.
    public func switchTenant(_ identity: Identity?, to tenantID: UUID, request: RequestInfo) async throws
        -> TenantMembership
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.require(.sessionManage, identity)
        let (userID, sessionID) = try caller.sessionUser()
        return try await environment.database.system { connection in
            guard
                let row = try await connection.queryFirst(
                    """
                    SELECT m.tenant_id, t.slug, t.name AS tenant_name, m.role
                    FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                    WHERE m.user_id = $1 AND m.tenant_id = $2
                    """, [userID, tenantID])
            else { throw AppError.notFound("The workspace") }
            let membership = try TenantMembership(row: row)
            try await connection.execute(
                "UPDATE sessions SET tenant_id = $2 WHERE id = $1", [sessionID, tenantID])
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenantID, actor: AuditActor(caller), action: "session.tenant_switched",
                    targetType: "tenant", targetID: tenantID.uuidString.lowercased()),
                request: request, on: connection)
            return membership
        }
    }

    /// Deletes every session of the caller's user except the current one (after a password change).
    func endOtherSessions(userID: UUID, keeping sessionID: UUID, on connection: PostgresConnection)
        async throws
        -> Int
    {
        try await connection.execute(
            "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", [userID, sessionID])
    }
}
