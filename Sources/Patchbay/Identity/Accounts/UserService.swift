import Foundation
import Postgres
import Secrets

/// User accounts: creation (command line, demo), lookup, and granting roles by the operator.
public struct UserService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    static let columns = "id, email, name, is_superuser, created_at"

    /// A random password (144 bits, 24 URL-safe characters), e.g. for the demo account.
    public static func randomPassword() throws -> String {
        try Token.generate(bytes: 18)
    }

    /// Creates an account; 409 if the email (case-insensitively) is taken.
    public func create(
        email: String, name: String?, password: String, isSuperuser: Bool = false, actor: AuditActor,
        request: RequestInfo
    ) async throws -> User {
        let email = try Validation.email(email)
        let name = try Validation.name(name ?? "", required: false)
        let hash = try await environment.passwords.hash(try Validation.newPassword(password))
        do {
            return try await environment.database.system { connection in
                guard
                    let row = try await connection.queryFirst(
                        """
                        INSERT INTO users (email, name, password_hash, is_superuser) VALUES ($1, $2, $3, $4)
                        RETURNING \(Self.columns)
                        """, [email, name, hash, isSuperuser])
                else { throw AppError(.internal, "The account was not created.") }
                let user = try User(row: row)
                try await AuditLog.record(
                    AuditEntry(
                        tenantID: nil, actor: actor, action: "user.created", targetType: "user",
                        targetID: user.id.uuidString.lowercased(),
                        details: ["email": .string(email), "is_superuser": .bool(isSuperuser)]),
                    request: request, on: connection)
                return user
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AppError(.conflict, "An account with the email \(email) already exists.")
        }
    }

    /// The account with `email` (case-insensitive), or nil.
    public func find(email: String) async throws -> User? {
        try await environment.database.system(readOnly: true) { connection in
            try await Self.find(email: email, on: connection)
        }
    }

    static func find(email: String, on connection: PostgresConnection) async throws -> User? {
        try await connection.queryFirst(
            "SELECT \(columns) FROM users WHERE lower(email) = lower($1)",
            [email.trimmingCharacters(in: .whitespacesAndNewlines)]
        ).map(User.init(row:))
    }

    /// Gives the account `email` the role `role` in the tenant `tenantSlug` (adding or changing the
    /// membership). For operators at the command line; in the app, owners use `MemberService`.
    @discardableResult
    public func grant(email: String, tenantSlug: String, role: Role, actor: AuditActor, request: RequestInfo)
        async throws -> Member
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        guard let user = try await find(email: email) else {
            throw AppError(.notFound, "No account uses the email \(email).")
        }
        let tenant = try await TenantService(environment: environment).require(slug: tenantSlug)
        return try await environment.database.tenant(tenant.id) { connection in
            let changed = try await connection.execute(
                """
                INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role
                WHERE memberships.role <> EXCLUDED.role
                """, [tenant.id, user.id, role.rawValue])
            if changed > 0 {
                try await AuditLog.record(
                    AuditEntry(
                        tenantID: tenant.id, actor: actor, action: "member.granted", targetType: "user",
                        targetID: user.id.uuidString.lowercased(),
                        details: ["email": .string(user.email), "role": .string(role.rawValue)]),
                    request: request, on: connection)
            }
            guard let member = try await MemberQueries.member(user.id, tenantID: tenant.id, on: connection)
            else {
                throw AppError(.internal, "The membership was not saved.")
            }
            return member
        }
    }

    /// Replaces the password of `userID` (the demo command's reset; people use the profile page).
    public func setPassword(userID: UUID, password: String, actor: AuditActor, request: RequestInfo)
        async throws
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let hash = try await environment.passwords.hash(try Validation.newPassword(password))
        try await environment.database.system { connection in
            try await connection.execute(
                "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [userID, hash])
            try await AuditLog.record(
                AuditEntry(
                    tenantID: nil, actor: actor, action: "user.password_set", targetType: "user",
                    targetID: userID.uuidString.lowercased()),
                request: request, on: connection)
        }
    }
}
