import Foundation
import Postgres

/// The signed-in user's own account: name and password.
public struct ProfileService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    /// The caller's account.
    public func profile(_ identity: Identity?) async throws -> User {
        let (userID, _) = try Authorization.require(.profileManage, identity).sessionUser()
        return try await environment.database.system(readOnly: true) { connection in
            guard
                let user = try await connection.queryFirst(
                    "SELECT \(UserService.columns) FROM users WHERE id = $1", [userID]
                ).map(User.init(row:))
            else { throw AppError.notFound("The account") }
            return user
        }
    }

    /// Renames the caller.
    public func updateName(_ name: String, _ identity: Identity?, request: RequestInfo) async throws {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.require(.profileManage, identity)
        let (userID, _) = try caller.sessionUser()
        let name = try Validation.name(name, required: false)
        try await environment.database.system { connection in
            try await connection.execute(
                "UPDATE users SET name = $2, updated_at = now() WHERE id = $1", [userID, name])
            try await AuditLog.record(
                AuditEntry(
                    tenantID: caller.tenant?.tenantID, actor: AuditActor(caller),
                    action: "user.profile_updated",
                    targetType: "user", targetID: userID.uuidString.lowercased(),
                    details: ["name": .string(name)]),
                request: request, on: connection)
        }
    }

    /// Changes the caller's password after checking the current one, then ends every other session
    /// of the account. Wrong current passwords count towards the account's login throttle.
    /// Returns how many other sessions were ended.
    @discardableResult
    public func changePassword(current: String, new: String, _ identity: Identity?, request: RequestInfo)
        async throws -> Int
    {
        defer { environment.identityCache.invalidateAll() }  // after the change commits
        let caller = try Authorization.require(.profileManage, identity)
        let (userID, sessionID) = try caller.sessionUser()
        let newPassword = try Validation.newPassword(new, field: "new_password")
        let throttle = LoginThrottle(settings: environment.identity)
        let keys = try throttle.keys(email: caller.email, ip: request.ip)
        let stored: String? = try await environment.database.system { connection in
            if let seconds = try await throttle.lockedSeconds(keys, on: connection) {
                throw LoginThrottle.throttledError(seconds: seconds)
            }
            return try await connection.queryFirst("SELECT password_hash FROM users WHERE id = $1", [userID])?
                .decode(0, as: String?.self)
        }
        let matches = try await stored.asyncMap {
            try await environment.passwords.verify(current, against: $0)
        }
        guard matches == true else {
            let seconds = try await environment.database.system { connection in
                try await throttle.recordFailure(keys, on: connection)
            }
            if let seconds { throw LoginThrottle.throttledError(seconds: seconds) }
            throw AppError.validation(["current_password": ["is not your current password"]])
        }
        let hash = try await environment.passwords.hash(newPassword)
        return try await environment.database.system { connection in
            try await connection.execute(
                "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [userID, hash])
            let ended = try await SessionService(environment: environment).endOtherSessions(
                userID: userID, keeping: sessionID, on: connection)
            try await AuditLog.record(
                AuditEntry(
                    tenantID: caller.tenant?.tenantID, actor: AuditActor(caller),
                    action: "user.password_changed",
                    targetType: "user", targetID: userID.uuidString.lowercased(),
                    details: ["other_sessions_ended": .int(Int64(ended))]),
                request: request, on: connection)
            return ended
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
