import Foundation
import Postgres
import Secrets

extension APITokenService {
    /// The identity behind `Authorization: Bearer <secret>`, or nil for an unknown, revoked or expired
    /// token. Records `last_used_at` (at most once per `tokenTouchInterval`).
    /// Served from the identity cache when it can be (see `IdentityCache`).
    public func authenticate(secret: String) async throws -> Identity? {
        guard secret.hasPrefix(Self.prefix), secret.utf8.count <= 128 else { return nil }
        let hash = try Token.storageHash(secret)
        return try await environment.identityCache.identity(forTokenHash: hash) {
            try await lookup(tokenHash: hash)
        }
    }

    private func lookup(tokenHash hash: String) async throws -> (Identity, expiresAt: Date)? {
        let touchEvery = environment.identity.tokenTouchInterval.wholeSeconds
        return try await environment.database.system { connection in
            guard
                let row = try await connection.queryFirst(
                    """
                    SELECT k.id, k.name, k.role, k.agent_id, k.tenant_id, t.slug, t.name AS tenant_name,
                           k.created_by, coalesce(u.email, '') AS email, k.expires_at,
                           k.last_used_at IS NULL
                               OR k.last_used_at <= now() - make_interval(secs => $2::float8) AS needs_touch
                    FROM api_tokens k
                    JOIN tenants t ON t.id = k.tenant_id
                    LEFT JOIN users u ON u.id = k.created_by
                    WHERE k.token_hash = $1 AND k.revoked_at IS NULL
                      AND (k.expires_at IS NULL OR k.expires_at > now())
                    """, [hash, touchEvery])
            else { return nil }
            let id: UUID = try row.decode("id")
            if try row.decode("needs_touch", as: Bool.self) {
                try await connection.execute("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [id])
            }
            let name: String = try row.decode("name")
            let identity = Identity(
                userID: try row.decode("created_by"), email: try row.decode("email"), name: name,
                tenant: try TenantMembership(row: row), isSuperuser: false,
                method: .token(id: id, name: name),
                agentID: try row.decode("agent_id"))
            return (identity, try row.decode("expires_at", as: Date?.self) ?? .distantFuture)
        }
    }
}
