import Secrets

/// Tokens that guard forms: the per-session CSRF token lives in `sessions`; the login form, which
/// has no session yet, uses a random token kept in a cookie and echoed in the form.
public enum CSRFTokens {
    /// A new 256-bit token.
    public static func generate() throws -> String {
        try Token.generate(bytes: 32)
    }

    /// Whether `sent` equals `expected`, compared in constant time; nil or empty never matches.
    public static func matches(_ sent: String?, _ expected: String?) -> Bool {
        guard let sent, let expected, !sent.isEmpty, !expected.isEmpty else { return false }
        return ConstantTime.equals(sent, expected)
    }
}
