import Secrets

/// Lifetimes and limits of identity features. Production uses `.standard`; tests shorten them.
public struct IdentitySettings: Sendable {
    /// A session ends after this long without a request.
    public var sessionIdleTimeout: Duration
    /// A session ends this long after login, however active.
    public var sessionMaxAge: Duration
    /// `last_seen_at` is written at most this often per session (one write, not one per request).
    public var sessionTouchInterval: Duration
    /// Failed logins per account within `throttleWindow` before the account is paused.
    public var accountFailureLimit: Int
    /// Failed logins per client address within `throttleWindow` before the address is paused.
    public var addressFailureLimit: Int
    public var throttleWindow: Duration
    /// How long a paused account or address must wait.
    public var lockout: Duration
    /// Invite links expire after this long unless the owner picks another expiry.
    public var inviteLifetime: Duration
    /// Scrypt cost for new password hashes.
    public var scrypt: ScryptParameters
    /// `last_used_at` of an API token is written at most this often.
    public var tokenTouchInterval: Duration
    /// How long a node may reuse an authenticated identity without asking the database (changes
    /// also drop it at once through notifications; zero turns the cache off).
    public var identityCacheTTL: Duration

    public init(
        sessionIdleTimeout: Duration = .seconds(12 * 3600), sessionMaxAge: Duration = .seconds(7 * 86400),
        sessionTouchInterval: Duration = .seconds(60), accountFailureLimit: Int = 5,
        addressFailureLimit: Int = 50, throttleWindow: Duration = .seconds(15 * 60),
        lockout: Duration = .seconds(15 * 60), inviteLifetime: Duration = .seconds(7 * 86400),
        scrypt: ScryptParameters = .default, tokenTouchInterval: Duration = .seconds(60),
        identityCacheTTL: Duration = .seconds(5)
    ) {
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaxAge = sessionMaxAge
        self.sessionTouchInterval = sessionTouchInterval
        self.accountFailureLimit = accountFailureLimit
        self.addressFailureLimit = addressFailureLimit
        self.throttleWindow = throttleWindow
        self.lockout = lockout
        self.inviteLifetime = inviteLifetime
        self.scrypt = scrypt
        self.tokenTouchInterval = tokenTouchInterval
        self.identityCacheTTL = identityCacheTTL
    }

    public static let standard = IdentitySettings()

    /// For tests: cheap scrypt (about a millisecond), production-like lifetimes and limits.
    public static let testing = IdentitySettings(scrypt: .testing)
}

extension Duration {
    /// Whole seconds, for `make_interval(secs => $n)` parameters and cookie lifetimes.
    public var wholeSeconds: Int { Int(components.seconds) }
}
