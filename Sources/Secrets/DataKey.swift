/// A tenant's 256-bit AES-GCM data key and its version number.
///
/// Data keys encrypt stored secrets; they are kept in the database only wrapped by a master key
/// (`WrappedDataKey`) and live unwrapped only in a `KeyRing` in memory.
public struct DataKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let version: UInt32
    let key: SecretKey

    /// Wraps existing key bytes; `key` must be 32 bytes.
    public init(version: UInt32, key: SecretKey) throws {
        guard key.byteCount == AESGCM.keyByteCount else {
            throw SecretsError.invalidKeyLength(expected: AESGCM.keyByteCount, actual: key.byteCount)
        }
        self.version = version
        self.key = key
    }

    /// A new random data key.
    public static func generate(version: UInt32) throws -> DataKey {
        try DataKey(version: version, key: SecretKey.generate(byteCount: AESGCM.keyByteCount))
    }

    public var description: String { "DataKey(version: \(version), redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["version": version]) }
}
