import COpenSSL

/// Symmetric key material held in a buffer that is wiped when the last copy goes away.
///
/// Its `description`, `debugDescription` and mirror show only the length, so a key can sit in a
/// struct that gets logged or dumped without leaking.
public struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let storage: SecretBytes

    /// Copies `bytes` into wiped-on-release storage. Empty keys are rejected.
    public init(bytes: some Collection<UInt8>) throws {
        guard !bytes.isEmpty else { throw SecretsError.invalidParameter("a key cannot be empty") }
        storage = SecretBytes(copying: bytes)
    }

    init(storage: SecretBytes) {
        self.storage = storage
    }

    /// A new key of `byteCount` bytes from the CSPRNG (32 bytes, 256 bits, by default).
    public static func generate(byteCount: Int = 32) throws -> SecretKey {
        guard byteCount > 0 else { throw SecretsError.invalidParameter("a key cannot be empty") }
        let storage = try SecretBytes(count: byteCount) { try SecureRandom.fill($0) }
        return SecretKey(storage: storage)
    }

    /// The key length in bytes.
    public var byteCount: Int { storage.count }

    /// Gives `body` temporary read access to the key bytes; do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    /// Compares two keys in constant time for equal lengths.
    public static func == (lhs: SecretKey, rhs: SecretKey) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }

    public var description: String { "SecretKey(\(byteCount) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["byteCount": byteCount]) }
}
