import Foundation
import Secrets

/// Where the master key comes from: `PATCHBAY_MASTER_KEY` (base64 of 32 bytes), else the key file
/// `PATCHBAY_MASTER_KEY_FILE` (default `.data/master.key` under the project root), created with
/// mode 0600 and a new random key when missing.
///
/// During a master key rotation the key used before is loaded too, from `PATCHBAY_MASTER_KEY_PREVIOUS`
/// (base64) or a previous key file, so data keys not yet rewrapped still open.
public enum MasterKeyConfiguration {
    public static let fileVariable = "PATCHBAY_MASTER_KEY_FILE"
    public static let previousVariable = "PATCHBAY_MASTER_KEY_PREVIOUS"

    /// The key file path the environment names, or the default under `root`.
    public static func keyFilePath(environment: [String: String], root: String) -> String {
        if let path = environment[fileVariable], !path.isEmpty { return path }
        return root + "/.data/master.key"
    }

    /// Loads (or creates) the master key as the environment says, with the previous key when one is
    /// given (`PATCHBAY_MASTER_KEY_PREVIOUS`, or `previousKeyFile`, which must exist).
    public static func load(environment: [String: String], root: String, previousKeyFile: String? = nil)
        throws
        -> MasterKeySet
    {
        let current = try loadCurrent(environment: environment, root: root)
        var previous: [MasterKey] = []
        if let key = try MasterKey.fromEnvironment(previousVariable, lookup: { environment[$0] }) {
            previous.append(key)
        }
        if let previousKeyFile {
            guard let key = try MasterKey.readIfPresent(keyFile: previousKeyFile) else {
                throw AppError(.badRequest, "The previous key file \(previousKeyFile) does not exist.")
            }
            previous.append(key)
        }
        return MasterKeySet(current: current, previous: previous)
    }

    private static func loadCurrent(environment: [String: String], root: String) throws -> MasterKey {
        let lookup: (String) -> String? = { environment[$0] }
        if let key = try MasterKey.fromEnvironment(lookup: lookup) { return key }
        let path = keyFilePath(environment: environment, root: root)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        return try MasterKey.load(keyFile: path, lookup: lookup)
    }

    /// A fresh random master key that lives only in memory (tests; throwaway servers).
    public static func ephemeral() throws -> MasterKeySet {
        MasterKeySet(current: try MasterKey.generate())
    }
}
