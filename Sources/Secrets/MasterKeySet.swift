/// The loaded master keys: the current one, which wraps new data keys, and older ones kept only
/// to unwrap data keys not yet rewrapped during a rotation.
public struct MasterKeySet: Sendable, CustomStringConvertible {
    public let current: MasterKey
    public let previous: [MasterKey]

    public init(current: MasterKey, previous: [MasterKey] = []) {
        self.current = current
        self.previous = previous.filter { $0.id != current.id }
    }

    /// The loaded key with this ID, if any.
    public func key(id: String) -> MasterKey? {
        current.id == id ? current : previous.first { $0.id == id }
    }

    /// Wraps with the current master key.
    public func wrap(_ dataKey: DataKey, tenantID: String) throws -> WrappedDataKey {
        try current.wrap(dataKey, tenantID: tenantID)
    }

    /// Unwraps with whichever loaded key made the wrap, or throws `unknownMasterKey`.
    public func unwrap(_ wrapped: WrappedDataKey, tenantID: String) throws -> DataKey {
        guard let key = key(id: wrapped.masterKeyID) else {
            throw SecretsError.unknownMasterKey(id: wrapped.masterKeyID)
        }
        return try key.unwrap(wrapped, tenantID: tenantID)
    }

    /// True when `wrapped` was made by an older master key and should be rewrapped.
    public func needsRewrap(_ wrapped: WrappedDataKey) -> Bool {
        wrapped.masterKeyID != current.id
    }

    /// `wrapped` rewrapped under the current master key (unchanged data key and version).
    public func rewrap(_ wrapped: WrappedDataKey, tenantID: String) throws -> WrappedDataKey {
        guard needsRewrap(wrapped) else { return wrapped }
        return try current.wrap(unwrap(wrapped, tenantID: tenantID), tenantID: tenantID)
    }

    public var description: String {
        "MasterKeySet(current: \(current.id), previous: \(previous.map(\.id)))"
    }
}

/// Steps of a key rotation, each safe to repeat.
///
/// Master key rotation: load the new key as `current` and the old as `previous`, rewrap every
/// tenant's data keys (`rewrap`), then drop the old key. Data key rotation: add a new version to
/// the tenant's ring as current, `KeyRing.reencrypt` each stored value, then remove the old version.
public enum KeyRotation {
    /// `wrapped` moved from `oldKey` to `newKey`: unwrapped with the old, wrapped with the new.
    public static func rewrap(
        _ wrapped: WrappedDataKey, tenantID: String, from oldKey: MasterKey, to newKey: MasterKey
    ) throws -> WrappedDataKey {
        try newKey.wrap(oldKey.unwrap(wrapped, tenantID: tenantID), tenantID: tenantID)
    }

    /// `ciphertext` re-encrypted from its data-key version to `version` in `ring`.
    public static func reencrypt(
        _ ciphertext: Ciphertext, in ring: KeyRing, toVersion version: UInt32,
        authenticating associatedData: [UInt8]
    ) throws -> Ciphertext {
        try ring.reencrypt(ciphertext, authenticating: associatedData, toVersion: version)
    }
}
