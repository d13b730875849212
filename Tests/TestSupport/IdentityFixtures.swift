import Foundation
import Patchbay
import Postgres

/// Tenants, users, sessions and tokens for tests, made through the real services (so they carry data
/// keys, hashed passwords and audit rows exactly like production data).
public struct IdentityFixtures: Sendable {
    public let environment: AppEnvironment
    public static let password = "correct horse battery staple"
    static let request = RequestInfo(requestID: "test", ip: "127.0.0.9", userAgent: "tests")

    public init(environment: AppEnvironment) { self.environment = environment }

    public func tenant(_ slug: String, name: String? = nil) async throws -> Tenant {
        try await TenantService(environment: environment).create(
            slug: slug, name: name, actor: .commandLine, request: Self.request)
    }

    public func user(
        _ email: String, name: String? = nil, password: String = IdentityFixtures.password,
        superuser: Bool = false
    ) async throws -> User {
        try await UserService(environment: environment).create(
            email: email, name: name, password: password, isSuperuser: superuser, actor: .commandLine,
            request: Self.request)
    }

    /// A new account with `role` in `tenant`.
    public func member(
        _ email: String, of tenant: Tenant, role: Role, name: String? = nil, superuser: Bool = false
    ) async throws -> User {
        let user = try await user(email, name: name, superuser: superuser)
        try await grant(user, tenant, role)
        return user
    }

    public func grant(_ user: User, _ tenant: Tenant, _ role: Role) async throws {
        try await UserService(environment: environment).grant(
            email: user.email, tenantSlug: tenant.slug, role: role, actor: .commandLine, request: Self.request
        )
    }

    /// A session for `user` working in `tenant`, without going through the login form.
    public func session(for user: User, in tenant: Tenant?) async throws -> NewSession {
        try await environment.database.system { connection in
            try await SessionService(environment: environment).start(
                userID: user.id, tenantID: tenant?.id, request: Self.request, on: connection)
        }
    }

    /// The identity behind a session, as the auth middleware sees it.
    public func identity(of session: NewSession) async throws -> Identity {
        guard
            let identity = try await SessionService(environment: environment).authenticate(
                token: session.token)
        else { throw FixtureError.noIdentity }
        return identity
    }

    /// The identity of `user` in `tenant` (a fresh session).
    public func identity(_ user: User, in tenant: Tenant?) async throws -> Identity {
        try await identity(of: try await session(for: user, in: tenant))
    }

    /// An API token made at the command line (any role; a token bound to `agentID` must be a viewer).
    public func token(
        in tenant: Tenant, role: Role, name: String = "fixture token", expiresInDays: Int? = nil,
        agentID: String? = nil
    )
        async throws -> NewAPIToken
    {
        try await APITokenService(environment: environment).createForAutomation(
            tenantSlug: tenant.slug, name: name, role: role, expiresInDays: expiresInDays, agentID: agentID,
            request: Self.request)
    }

    /// Runs `sql` with system scope and returns the rows' first column as text.
    public func column(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> [String?] {
        try await environment.database.system(readOnly: true) { connection in
            try await connection.query(sql, parameters).map { try $0.decode(0, as: String?.self) }
        }
    }

    enum FixtureError: Error {
        case noIdentity
    }
}
