import Foundation
import JSON
import Postgres
import Secrets

/// API tokens for automation: `pb_` + 256 random bits, stored as SHA-256 only, bound to one tenant
/// and a role no higher than their creator's, optionally expiring, revocable.
public struct APITokenService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    public static let prefix = "pb_"
    static let displayLength = 10
    static let expiryRange = 1...3650

    /// Creates a token in the caller's tenant (admins). A token bound to `agentID` is a viewer token
    /// that may also query the connectors attached to that agent.
    public func create(
        name: String, role: Role, expiresInDays: Int?, agentID: String? = nil, by identity: Identity?,
        request: RequestInfo
    ) async throws -> NewAPIToken {
        let caller = try Authorization.tenant(for: .tokensManage, identity)
        guard role <= caller.effectiveRole else {
            throw AppError.validation([
                "role": ["cannot be higher than your own role (\(caller.effectiveRole.rawValue))"]
            ])
        }
        return try await insert(
            tenantID: caller.tenantID, name: name, role: role, expiresInDays: expiresInDays, agentID: agentID,
            actor: caller.actor, request: request)
    }

    /// Creates a token for a tenant at the command line (the operator is trusted with any role).
    public func createForAutomation(
        tenantSlug: String, name: String, role: Role, expiresInDays: Int?, agentID: String? = nil,
        request: RequestInfo
    ) async throws -> NewAPIToken {
        let tenant = try await TenantService(environment: environment).require(slug: tenantSlug)
        return try await insert(
            tenantID: tenant.id, name: name, role: role, expiresInDays: expiresInDays, agentID: agentID,
            actor: .commandLine, request: request)
    }

    private func insert(
        tenantID: UUID, name: String, role: Role, expiresInDays: Int?, agentID: String?, actor: AuditActor,
        request: RequestInfo
    ) async throws -> NewAPIToken {
        let name = try Validation.name(name)
        let days = try Validation.days(expiresInDays, field: "expires_in_days", range: Self.expiryRange)
        let agentID = try AttachmentRules.optionalAgentID(agentID)
        if agentID != nil, role != .viewer {
            throw AppError.validation([
                "role": [
                    "must be viewer for a token bound to an agent: it reads and queries that agent's connectors"
                ]
            ])
        }
        let secret = try Token.generate(prefix: Self.prefix, bytes: 32)
        let display = String(secret.prefix(Self.displayLength))
        return try await environment.database.tenant(tenantID) { connection in
            guard
                let id = try await connection.queryFirst(
                    """
                    INSERT INTO api_tokens
                        (tenant_id, name, token_hash, display_prefix, role, created_by, expires_at, agent_id)
                    VALUES ($1, $2, $3, $4, $5, $6,
                            CASE WHEN $7::int8 IS NULL THEN NULL
                                 ELSE now() + make_interval(days => ($7::int8)::int4) END, $8)
                    RETURNING id
                    """,
                    [
                        tenantID, name, try Token.storageHash(secret), display, role.rawValue, actor.userID,
                        days, agentID,
                    ]
                )?.decode(0, as: UUID.self),
                let token = try await Self.find(id, on: connection)
            else { throw AppError(.internal, "The token was not created.") }
            var details: JSONObject = ["name": .string(name), "role": .string(role.rawValue)]
            if let days { details["expires_in_days"] = .int(Int64(days)) }
            if let agentID { details["agent_id"] = .string(agentID) }
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenantID, actor: actor, action: "token.created", targetType: "api_token",
                    targetID: id.uuidString.lowercased(), details: details),
                request: request, on: connection)
            return NewAPIToken(token: token, secret: secret)
        }
    }

    /// The tenant's tokens, newest first (admins).
    public func list(_ identity: Identity?) async throws -> [APIToken] {
        let caller = try Authorization.tenant(for: .tokensManage, identity)
        return try await environment.database.tenant(caller.tenantID, readOnly: true) { connection in
            try await connection.query(
                APIToken.select + " WHERE k.tenant_id = $1 ORDER BY k.created_at DESC", [caller.tenantID]
            ).map(APIToken.init(row:))
        }
    }

    /// Revokes a token of the caller's tenant; 404 for any other id. Revoking twice is harmless.
    @discardableResult
    public func revoke(id: UUID, _ identity: Identity?, request: RequestInfo) async throws -> APIToken {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.tenant(for: .tokensManage, identity)
        return try await environment.database.tenant(caller.tenantID) { connection in
            let changed = try await connection.execute(
                "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL",
                [id, caller.tenantID])
            guard let token = try await Self.find(id, on: connection) else {
                throw AppError.notFound("The API token")
            }
            if changed > 0 {
                try await AuditLog.record(
                    AuditEntry(
                        tenantID: caller.tenantID, actor: caller.actor, action: "token.revoked",
                        targetType: "api_token", targetID: id.uuidString.lowercased(),
                        details: ["name": .string(token.name)]),
                    request: request, on: connection)
            }
            return token
        }
    }

    static func find(_ id: UUID, on connection: PostgresConnection) async throws -> APIToken? {
        try await connection.queryFirst(APIToken.select + " WHERE k.id = $1", [id]).map(APIToken.init(row:))
    }
}
