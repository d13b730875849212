/// The installation's key-encryption key: 32 bytes that wrap every tenant's data keys.
///
/// It is never stored in the database; it comes from `PATCHBAY_MASTER_KEY` or a key file (see
/// `MasterKey+Loading.swift`). Its `id` — the first 8 hex characters of a domain-separated SHA-256
/// of the key — is recorded with every wrapped data key, so several master keys can be loaded
/// during a rotation and each wrapped key finds its own.
public struct MasterKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// A short, public identifier of this key.
    public let id: String
    let key: SecretKey

    /// Uses `key`, which must be 32 bytes.
    public init(key: SecretKey) throws {
        guard key.byteCount == AESGCM.keyByteCount else {
            throw SecretsError.invalidKeyLength(expected: AESGCM.keyByteCount, actual: key.byteCount)
        }
        self.key = key
        // A label before the key keeps this hash distinct from any other use of SHA-256 over it.
        var input = Array("patchbay.master-key-id.v1\u{0}".utf8)
        key.withUnsafeBytes { input.append(contentsOf: $0) }
        defer { SecretBytes.cleanse(&input) }
        self.id = String(Hex.encode(try SHA256.digest(input)).prefix(8))
    }

    /// A new random master key.
    public static func generate() throws -> MasterKey {
        try MasterKey(key: SecretKey.generate(byteCount: AESGCM.keyByteCount))
    }

    /// Standard base64 of the key bytes, the form `PATCHBAY_MASTER_KEY` and key files hold. Only for
    /// writing the key to its own store (e.g. `patchbay keys generate`); never log it.
    public func exportBase64() -> String {
        key.withUnsafeBytes { Base64.encode($0) }
    }

    /// Encrypts `dataKey` for storage, bound to `tenantID` and the data key's version.
    public func wrap(_ dataKey: DataKey, tenantID: String) throws -> WrappedDataKey {
        let aad = WrappedDataKey.associatedData(tenantID: tenantID, version: dataKey.version, masterKeyID: id)
        let box = try dataKey.key.withUnsafeBytes { raw in
            try AESGCM.seal(raw, using: key, authenticating: aad)
        }
        return WrappedDataKey(version: dataKey.version, masterKeyID: id, box: box)
    }

    /// Decrypts a wrapped data key. Throws `unknownMasterKey` if another master key wrapped it and
    /// `authenticationFailed` if it was altered or belongs to another tenant.
    public func unwrap(_ wrapped: WrappedDataKey, tenantID: String) throws -> DataKey {
        guard wrapped.masterKeyID == id else { throw SecretsError.unknownMasterKey(id: wrapped.masterKeyID) }
        let aad = WrappedDataKey.associatedData(tenantID: tenantID, version: wrapped.version, masterKeyID: id)
        var raw = try AESGCM.open(wrapped.box, using: key, authenticating: aad)
        defer { SecretBytes.cleanse(&raw) }
        return try DataKey(version: wrapped.version, key: SecretKey(bytes: raw))
    }

    public var description: String { "MasterKey(id: \(id), redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
