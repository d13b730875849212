import Foundation
import JSON
import Postgres

/// The members of the caller's tenant: everyone may list them; owners add, re-role and remove.
/// A tenant always keeps at least one owner.
public struct MemberService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    static let lastOwner = AppError(
        .conflict, "A workspace needs at least one owner. Make someone else an owner first.")

    public func list(_ identity: Identity?) async throws -> [Member] {
        let caller = try Authorization.tenant(for: .membersRead, identity)
        return try await environment.database.tenant(caller.tenantID, readOnly: true) { connection in
            try await MemberQueries.list(tenantID: caller.tenantID, on: connection)
        }
    }

    /// Adds an existing account by email; 404 if there is none, 409 if already a member.
    public func add(email: String, role: Role, _ identity: Identity?, request: RequestInfo) async throws
        -> Member
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.tenant(for: .membersManage, identity)
        let email = try Validation.email(email)
        // The account is not a member yet, so only system scope can see it.
        guard let user = try await UserService(environment: environment).find(email: email) else {
            throw AppError.validation(["email": ["no account uses this email; send an invite link instead"]])
        }
        return try await environment.database.tenant(caller.tenantID) { connection in
            let inserted = try await connection.execute(
                """
                INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, user_id) DO NOTHING
                """, [caller.tenantID, user.id, role.rawValue])
            guard inserted == 1 else { throw AppError(.conflict, "\(user.email) is already a member.") }
            try await record(
                "member.added", user.id, ["email": .string(user.email), "role": .string(role.rawValue)],
                caller,
                request, connection)
            return try await require(user.id, caller, connection)
        }
    }

    /// Changes a member's role; 404 for a non-member, 409 when it would leave no owner.
    public func changeRole(userID: UUID, to role: Role, _ identity: Identity?, request: RequestInfo)
        async throws
        -> Member
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.tenant(for: .membersManage, identity)
        return try await environment.database.tenant(caller.tenantID) { connection in
            let owners = try await MemberQueries.lockedOwnerCount(tenantID: caller.tenantID, on: connection)
            let member = try await require(userID, caller, connection)
            if member.role == role { return member }
            if member.role == .owner, owners <= 1 { throw Self.lastOwner }
            try await connection.execute(
                "UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2",
                [caller.tenantID, userID, role.rawValue])
            try await record(
                "member.role_changed", userID,
                [
                    "email": .string(member.email), "from": .string(member.role.rawValue),
                    "to": .string(role.rawValue),
                ],
                caller, request, connection)
            return try await require(userID, caller, connection)
        }
    }

    /// Removes a member; 404 for a non-member, 409 for the last owner.
    public func remove(userID: UUID, _ identity: Identity?, request: RequestInfo) async throws {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.tenant(for: .membersManage, identity)
        try await environment.database.tenant(caller.tenantID) { connection in
            let owners = try await MemberQueries.lockedOwnerCount(tenantID: caller.tenantID, on: connection)
            let member = try await require(userID, caller, connection)
            if member.role == .owner, owners <= 1 { throw Self.lastOwner }
            try await connection.execute(
                "DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2", [caller.tenantID, userID])
            try await record(
                "member.removed", userID,
                ["email": .string(member.email), "role": .string(member.role.rawValue)],
                caller, request, connection)
        }
    }

    private func require(_ userID: UUID, _ caller: Caller, _ connection: PostgresConnection) async throws
        -> Member
    {
        guard let member = try await MemberQueries.member(userID, tenantID: caller.tenantID, on: connection)
        else {
            throw AppError.notFound("The member")
        }
        return member
    }

    private func record(
        _ action: String, _ userID: UUID, _ details: JSONObject, _ caller: Caller, _ request: RequestInfo,
        _ connection: PostgresConnection
    ) async throws {
        try await AuditLog.record(
            AuditEntry(
                tenantID: caller.tenantID, actor: caller.actor, action: action, targetType: "user",
                targetID: userID.uuidString.lowercased(), details: details),
            request: request, on: connection)
    }
}
