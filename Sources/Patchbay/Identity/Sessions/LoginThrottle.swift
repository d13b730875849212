import Foundation
import Postgres
import Secrets

/// Failed-login counting per account and per client address, in PostgreSQL so every node agrees.
///
/// A key that reaches its limit within the window is locked for `lockout`; while locked, logins are
/// refused before any password is checked (no scrypt work for an attacker to cause). Unknown
/// accounts are counted like real ones, so the answers do not reveal which emails exist.
struct LoginThrottle: Sendable {
    let settings: IdentitySettings

    struct Keys {
        var account: String
        var address: String
    }

    func keys(email: String, ip: String) throws -> Keys {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return Keys(account: "account:" + (try SHA256.hexDigest(normalized)), address: "ip:" + ip)
    }

    /// Seconds until the longest lock among `keys` ends, or nil if none is locked.
    func lockedSeconds(_ keys: Keys, on connection: PostgresConnection) async throws -> Int? {
        let row = try await connection.queryFirst(
            """
            SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int8 AS seconds
            FROM login_throttle WHERE key = ANY($1) AND locked_until > now()
            """, [[keys.account, keys.address]])
        return try row?.decode("seconds", as: Int?.self)
    }

    /// Counts a failure against both keys; returns the lock's seconds if this failure locked either.
    func recordFailure(_ keys: Keys, on connection: PostgresConnection) async throws -> Int? {
        let account = try await count(keys.account, limit: settings.accountFailureLimit, on: connection)
        let address = try await count(keys.address, limit: settings.addressFailureLimit, on: connection)
        return [account, address].compactMap { $0 }.max()
    }

    /// Forgets the account's failures after a successful login (the address keeps its count).
    func reset(_ keys: Keys, on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM login_throttle WHERE key = $1", [keys.account])
    }

    private func count(_ key: String, limit: Int, on connection: PostgresConnection) async throws -> Int? {
        // A window that has passed starts over at one failure.
        let row = try await connection.queryFirst(
            """
            INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
            VALUES ($1, 1, now(), CASE WHEN 1 >= $2 THEN now() + make_interval(secs => $4::float8) END)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::float8)
                                THEN 1 ELSE t.failures + 1 END,
                window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::float8)
                                         THEN now() ELSE t.window_started_at END,
                locked_until = CASE
                    WHEN (CASE WHEN t.window_started_at <= now() - make_interval(secs => $3::float8)
                               THEN 1 ELSE t.failures + 1 END) >= $2
                    THEN now() + make_interval(secs => $4::float8)
                    ELSE t.locked_until END
            RETURNING CASE WHEN locked_until > now()
                           THEN ceil(extract(epoch FROM locked_until - now()))::int8 END AS seconds
            """,
            [key, limit, settings.throttleWindow.wholeSeconds, settings.lockout.wholeSeconds])
        return try row?.decode("seconds", as: Int?.self)
    }

    /// "Too many failed attempts..." with the wait in words.
    static func throttledError(seconds: Int) -> AppError {
        AppError(
            .tooManyRequests,
            "Too many failed login attempts. For your security, logging in is paused for \(waitText(seconds)).",
            retryAfterSeconds: seconds)
    }

    /// "1 minute", "15 minutes", "2 hours".
    static func waitText(_ seconds: Int) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        if minutes < 120 { return minutes == 1 ? "1 minute" : "\(minutes) minutes" }
        return "\((minutes + 59) / 60) hours"
    }
}
