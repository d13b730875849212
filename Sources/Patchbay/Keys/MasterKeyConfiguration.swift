import Foundation
import Secrets

/// Where the master key comes from: `PATCHBAY_MASTER_KEY` (base64 of 32 bytes), else the key file
/// `PATCHBAY_MASTER_KEY_FILE` (default `.data/master.key` under the project root), created with
/// mode 0600 and a new random key when missing.
public enum MasterKeyConfiguration {
    public static let fileVariable = "PATCHBAY_MASTER_KEY_FILE"

    /// The key file path the environment names, or the default under `root`.
    public static func keyFilePath(environment: [String: String], root: String) -> String {
        if let path = environment[fileVariable], !path.isEmpty { return path }
        return root + "/.data/master.key"
    }

    /// Loads (or creates) the master key as the environment says.
    public static func load(environment: [String: String], root: String) throws -> MasterKeySet {
        let lookup: (String) -> String? = { environment[$0] }
        if let key = try MasterKey.fromEnvironment(lookup: lookup) {
            return MasterKeySet(current: key)
        }
        let path = keyFilePath(environment: environment, root: root)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        return MasterKeySet(current: try MasterKey.load(keyFile: path, lookup: lookup))
    }

    /// A fresh random master key that lives only in memory (tests; throwaway servers).
    public static func ephemeral() throws -> MasterKeySet {
        MasterKeySet(current: try MasterKey.generate())
    }
}
