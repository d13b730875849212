import Synchronization

/// Unwrapped data keys by version, in memory, plus the version used for new ciphertexts.
///
/// One ring serves one key scope — typically one tenant, built with `KeyRing.unwrapping`. Lookups
/// take a short lock; encryption runs outside it. Every sealed value is a `Ciphertext` whose header
/// (format and key version) is authenticated along with the caller's associated data, which should
/// name where the value lives (e.g. tenant, connector and field) so that moving it fails to open.
public final class KeyRing: Sendable, CustomStringConvertible {
    private struct State {
        var keys: [UInt32: DataKey] = [:]
        var currentVersion: UInt32?
    }

    private let state: Mutex<State>

    /// A ring holding `keys`; new values are sealed with `currentVersion`, or the highest version.
    public init(keys: [DataKey] = [], currentVersion: UInt32? = nil) throws {
        var state = State()
        for key in keys {
            if let existing = state.keys[key.version], existing != key {
                throw SecretsError.keyVersionConflict(key.version)
            }
            state.keys[key.version] = key
        }
        if let currentVersion, state.keys[currentVersion] == nil {
            throw SecretsError.unknownKeyVersion(currentVersion)
        }
        state.currentVersion = currentVersion ?? state.keys.keys.max()
        self.state = Mutex(state)
    }

    /// A ring of one tenant's wrapped data keys, each unwrapped by whichever of `masterKeys` made it.
    public static func unwrapping(
        _ wrappedKeys: [WrappedDataKey], tenantID: String, masterKeys: MasterKeySet,
        currentVersion: UInt32? = nil
    ) throws -> KeyRing {
        let keys = try wrappedKeys.map { try masterKeys.unwrap($0, tenantID: tenantID) }
        return try KeyRing(keys: keys, currentVersion: currentVersion)
    }

    /// Adds `key`. Re-adding the same key is harmless; a different key under a used version throws.
    public func add(_ key: DataKey, makeCurrent: Bool = true) throws {
        try state.withLock { state in
            if let existing = state.keys[key.version], existing != key {
                throw SecretsError.keyVersionConflict(key.version)
            }
            state.keys[key.version] = key
            if makeCurrent || state.currentVersion == nil { state.currentVersion = key.version }
        }
    }

    /// Drops a version (after every ciphertext under it was re-encrypted).
    public func remove(version: UInt32) {
        state.withLock { state in
            state.keys[version] = nil
            if state.currentVersion == version { state.currentVersion = state.keys.keys.max() }
        }
    }

    /// Makes `version`, which must be loaded, the one new values are sealed with.
    public func setCurrentVersion(_ version: UInt32) throws {
        try state.withLock { state in
            guard state.keys[version] != nil else { throw SecretsError.unknownKeyVersion(version) }
            state.currentVersion = version
        }
    }

    /// The version new values are sealed with, if any key is loaded.
    public var currentVersion: UInt32? { state.withLock { $0.currentVersion } }

    /// Loaded versions, ascending.
    public var versions: [UInt32] { state.withLock { $0.keys.keys.sorted() } }

    /// The key for `version`, or `unknownKeyVersion`.
    func key(version: UInt32) throws -> DataKey {
        guard let key = state.withLock({ $0.keys[version] }) else {
            throw SecretsError.unknownKeyVersion(version)
        }
        return key
    }

    func currentKey() throws -> DataKey {
        guard let key = state.withLock({ state in state.currentVersion.flatMap { state.keys[$0] } }) else {
            throw SecretsError.noCurrentKeyVersion
        }
        return key
    }

    public var description: String {
        let (versions, current) = state.withLock { ($0.keys.keys.sorted(), $0.currentVersion) }
        return "KeyRing(versions: \(versions), current: \(current.map(String.init) ?? "none"))"
    }
}
