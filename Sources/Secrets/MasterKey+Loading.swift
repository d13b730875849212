import Glibc

extension MasterKey {
    /// The environment variable holding the base64 master key.
    public static let environmentVariable = "PATCHBAY_MASTER_KEY"

    /// Parses base64 text of exactly 32 bytes (surrounding whitespace and a trailing newline are
    /// ignored). Errors name `source` and the problem but never repeat the text.
    public init(base64Encoded text: String, source: String = "base64 text") throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard var bytes = Base64.decode(trimmed) else {
            throw SecretsError.invalidMasterKey(source: source, reason: "not valid base64")
        }
        defer { SecretBytes.cleanse(&bytes) }
        guard bytes.count == AESGCM.keyByteCount else {
            throw SecretsError.invalidMasterKey(
                source: source,
                reason: "decodes to \(bytes.count) bytes; expected \(AESGCM.keyByteCount) (generate one with "
                    + "`head -c 32 /dev/urandom | base64`)")
        }
        try self.init(key: SecretKey(bytes: bytes))
    }

    /// The key from environment variable `name`, or nil if it is unset or empty.
    ///
    /// - Parameter lookup: reads a variable; tests pass a dictionary lookup instead of `getenv`.
    public static func fromEnvironment(
        _ name: String = environmentVariable,
        lookup: (String) -> String? = { getenv($0).map { String(cString: $0) } }
    ) throws -> MasterKey? {
        guard let text = lookup(name), !text.isEmpty else { return nil }
        return try MasterKey(base64Encoded: text, source: "environment variable \(name)")
    }

    /// The key from environment variable `name` if set, otherwise from `keyFile` (created with a new
    /// random key if missing), otherwise an error saying how to configure one.
    public static func load(
        environmentVariable name: String = environmentVariable, keyFile: String?,
        lookup: (String) -> String? = { getenv($0).map { String(cString: $0) } }
    ) throws -> MasterKey {
        if let key = try fromEnvironment(name, lookup: lookup) { return key }
        guard let keyFile else {
            throw SecretsError.masterKeyUnavailable(
                "no master key: set \(name) to the base64 of 32 random bytes or configure a key file")
        }
        return try loadOrCreate(keyFile: keyFile)
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t"
        }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
