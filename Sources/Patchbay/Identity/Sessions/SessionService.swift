import Foundation
import Postgres
import Secrets

/// A session just created: the cookie value (shown to the browser once, stored only hashed).
public struct NewSession: Sendable {
    public var id: UUID
    /// The cookie value.
    public var token: String
    public var csrfToken: String
    /// How long the cookie may live (the absolute lifetime).
    public var maxAge: Duration
}

/// Browser sessions: login with throttling, lookup by cookie with idle and absolute expiry, logout,
/// switching tenant.
public struct SessionService: Sendable {
    let environment: AppEnvironment
    var settings: IdentitySettings { environment.identity }
    var throttle: LoginThrottle { LoginThrottle(settings: settings) }

    public init(environment: AppEnvironment) { self.environment = environment }

    static let badCredentials = AppError(.unauthorized, "The email or password is incorrect.")

    /// Checks the password and starts a new session. The session id is always new (rotation at
    /// login); `replacing`, the browser's previous session cookie, is deleted.
    ///
    /// Throws 401 with one message for an unknown email and a wrong password alike, and 429 once the
    /// account or the client address has failed too often.
    public func login(email: String, password: String, replacing oldToken: String?, request: RequestInfo)
        async throws -> NewSession
    {
        // A replaced session must stop working here at once (after the change commits).
        defer { if oldToken != nil { environment.identityCache.invalidateAll() } }
        let keys = try throttle.keys(email: email, ip: request.ip)
        let user: (id: UUID, hash: String?)? = try await environment.database.system { connection in
            if let seconds = try await throttle.lockedSeconds(keys, on: connection) {
                throw LoginThrottle.throttledError(seconds: seconds)
            }
            let row = try await connection.queryFirst(
                "SELECT id, password_hash FROM users WHERE lower(email) = lower($1)",
                [email.trimmingCharacters(in: .whitespacesAndNewlines)])
            return try row.map { (try $0.decode("id"), try $0.decode("password_hash")) }
        }
        // Scrypt runs between transactions, on the password threads, holding no connection.
        var isValid = false
        var rehash: String?
        if let user, let hash = user.hash, !password.isEmpty {
            isValid = try await environment.passwords.verify(password, against: hash)
            if isValid, environment.passwords.hasher.needsRehash(hash) {
                rehash = try await environment.passwords.hash(password)
            }
        } else {
            _ = try await environment.passwords.verifyUnknownAccount(password)
        }
        guard let user, isValid else {
            try await recordFailure(email: email, userID: user?.id, keys: keys, request: request)
            throw Self.badCredentials
        }
        return try await environment.database.system { connection in
            try await throttle.reset(keys, on: connection)
            if let rehash {
                try await connection.execute(
                    "UPDATE users SET password_hash = $2 WHERE id = $1", [user.id, rehash])
            }
            if let oldToken {
                try await connection.execute(
                    "DELETE FROM sessions WHERE token_hash = $1", [try Token.storageHash(oldToken)])
            }
            try await connection.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND (idle_expires_at <= now() OR absolute_expires_at <= now())",
                [user.id])
            let tenantID = try await connection.queryFirst(
                "SELECT tenant_id FROM memberships WHERE user_id = $1 ORDER BY created_at LIMIT 1", [user.id]
            )?.decode(0, as: UUID.self)
            let session = try await start(
                userID: user.id, tenantID: tenantID, request: request, on: connection)
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenantID, actor: AuditActor(userID: user.id, label: email),
                    action: "session.login",
                    targetType: "session", targetID: session.id.uuidString.lowercased()),
                request: request, on: connection)
            return session
        }
    }

    private func recordFailure(email: String, userID: UUID?, keys: LoginThrottle.Keys, request: RequestInfo)
        async throws
    {
        let lockedFor = try await environment.database.system { connection in
            let seconds = try await throttle.recordFailure(keys, on: connection)
            try await AuditLog.record(
                AuditEntry(
                    tenantID: nil, actor: AuditActor(userID: userID, label: email),
                    action: "session.login_failed",
                    targetType: "user", targetID: userID?.uuidString.lowercased() ?? "",
                    details: ["email": .string(String(email.prefix(254))), "locked": .bool(seconds != nil)]),
                request: request, on: connection)
            return seconds
        }
        if let lockedFor { throw LoginThrottle.throttledError(seconds: lockedFor) }
    }

    /// Inserts a session for `userID` on `connection` (login; test fixtures).
    public func start(userID: UUID, tenantID: UUID?, request: RequestInfo, on connection: PostgresConnection)
        async throws -> NewSession
    {
        let token = try Token.session()
        let csrf = try Token.generate(bytes: 32)
        let row = try await connection.queryFirst(
            """
            INSERT INTO sessions
                (token_hash, user_id, tenant_id, csrf_token, idle_expires_at, absolute_expires_at, ip, user_agent)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8),
                    now() + make_interval(secs => $6::float8), $7, $8)
            RETURNING id
            """,
            [
                try Token.storageHash(token), userID, tenantID, csrf,
                settings.sessionIdleTimeout.wholeSeconds,
                settings.sessionMaxAge.wholeSeconds, request.ip, request.userAgent,
            ])
        guard let id = try row?.decode(0, as: UUID.self) else {
            throw AppError(.internal, "The session was not created.")
        }
        return NewSession(id: id, token: token, csrfToken: csrf, maxAge: settings.sessionMaxAge)
    }
}
