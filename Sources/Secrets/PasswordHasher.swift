import COpenSSL

/// Hashes and verifies passwords with scrypt, producing `PasswordHash` strings.
///
/// Each call costs the configured scrypt work on the calling thread (about 100 ms of CPU and
/// 32 MiB at the default cost on a 2-core x86-64 server): run it on a dedicated thread or a task
/// that may block, not on the cooperative pool's hot path.
public struct PasswordHasher: Sendable {
    /// Cost used for new hashes; stored hashes with other parameters still verify.
    public let parameters: ScryptParameters
    /// Random salt bytes per hash.
    public let saltLength: Int
    /// Derived hash bytes.
    public let hashLength: Int

    /// A hasher at `parameters` (use `.testing` in tests to keep them fast).
    public init(parameters: ScryptParameters = .default, saltLength: Int = 16, hashLength: Int = 32) throws {
        try parameters.validate()
        guard PasswordHash.saltLengths.contains(saltLength), PasswordHash.hashLengths.contains(hashLength)
        else {
            throw SecretsError.invalidParameter("salt must be 8 to 64 bytes and hash 16 to 64 bytes")
        }
        self.parameters = parameters
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// A new encoded hash of `password` with a fresh random salt.
    public func hash(_ password: String) throws -> String {
        let salt = try SecureRandom.bytes(saltLength)
        let derived = try Scrypt.deriveKey(
            password: password, salt: salt, parameters: parameters, byteCount: hashLength)
        return PasswordHash(parameters: parameters, salt: salt, hash: derived).encoded
    }

    /// Whether `password` matches `encodedHash`, compared in constant time. A wrong password returns
    /// false; a hash string that cannot be parsed throws `SecretsError.malformedPasswordHash`.
    public func verify(_ password: String, against encodedHash: String) throws -> Bool {
        let stored = try PasswordHash(encoded: encodedHash)
        var derived = try Scrypt.deriveKey(
            password: password, salt: stored.salt, parameters: stored.parameters, byteCount: stored.hash.count
        )
        defer { SecretBytes.cleanse(&derived) }
        return ConstantTime.equals(derived, stored.hash)
    }

    /// Spends the same work as a real verification and returns false. Call it when the account does
    /// not exist, so response time does not reveal which accounts exist.
    public func verifyUnknownAccount(_ password: String) throws -> Bool {
        var derived = try Scrypt.deriveKey(
            password: password, salt: [UInt8](repeating: 0, count: saltLength), parameters: parameters,
            byteCount: hashLength)
        SecretBytes.cleanse(&derived)
        return false
    }

    /// True when `encodedHash` was made with other parameters or lengths than this hasher uses (or
    /// cannot be parsed), so that it should be replaced after the next successful login.
    public func needsRehash(_ encodedHash: String) -> Bool {
        guard let stored = try? PasswordHash(encoded: encodedHash) else { return true }
        return stored.parameters != parameters || stored.salt.count != saltLength
            || stored.hash.count != hashLength
    }
}
