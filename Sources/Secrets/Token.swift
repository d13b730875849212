/// Random bearer tokens (API tokens, session identifiers, CSRF tokens) as URL-safe text.
///
/// Tokens are meant to be stored only as `storageHash(_:)`: a leaked table then cannot be replayed.
public enum Token {
    /// The smallest token entropy accepted, in bytes (128 bits).
    public static let minimumByteCount = 16

    /// `prefix` followed by `bytes` random bytes in unpadded URL-safe base64,
    /// e.g. `generate(prefix: "pb_", bytes: 32)` gives `pb_` and 43 characters.
    public static func generate(prefix: String = "", bytes: Int = 32) throws -> String {
        guard bytes >= minimumByteCount else {
            throw SecretsError.invalidParameter(
                "a token needs at least \(minimumByteCount) random bytes, got \(bytes)")
        }
        var random = try SecureRandom.bytes(bytes)
        defer { SecretBytes.cleanse(&random) }
        return prefix + Base64.encode(random, alphabet: .urlSafe, padding: false)
    }

    /// A 256-bit session token.
    public static func session() throws -> String {
        try generate(bytes: 32)
    }

    /// The lowercase hex SHA-256 of the token's UTF-8 bytes: what a database should keep.
    ///
    /// A plain hash (no salt, no stretching) is enough because tokens carry at least 128 random bits.
    public static func storageHash(_ token: String) throws -> String {
        try SHA256.hexDigest(token)
    }
}
