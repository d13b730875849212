import Postgres
import Secrets
import Synchronization

/// Installation-wide secrets kept in PostgreSQL, so every node derives the same fingerprints.
/// Each is envelope-encrypted like tenant secrets: sealed under its own data key, which the master
/// key wraps. Created by whichever node needs one first.
final class InstallationSecrets: Sendable {
    static let fingerprintName = "fingerprint"

    private let database: Database
    private let masterKeys: MasterKeySet
    private let cachedFingerprintKey = Mutex<SecretKey?>(nil)

    init(database: Database, masterKeys: MasterKeySet) {
        self.database = database
        self.masterKeys = masterKeys
    }

    /// The HMAC key behind fingerprints of secret values.
    func fingerprintKey() async throws -> SecretKey {
        if let key = cachedFingerprintKey.withLock({ $0 }) { return key }
        let key = try await loadOrCreate(Self.fingerprintName)
        cachedFingerprintKey.withLock { $0 = key }
        return key
    }

    /// Binds the wrap and the seal to the secret's name, so a row copied under another name fails.
    static func scope(_ name: String) -> String { "installation:" + name }

    private func loadOrCreate(_ name: String) async throws -> SecretKey {
        let scope = Self.scope(name)
        let dataKey = try DataKey.generate(version: 1)
        let wrapped = try masterKeys.wrap(dataKey, tenantID: scope)
        var value = try SecureRandom.bytes(32)
        defer { wipe(&value) }
        let sealed = try KeyRing(keys: [dataKey]).seal(value, authenticating: AssociatedData.make(scope))
        let row = try await database.system { connection in
            // Two nodes may race here: the first insert wins and both read the winner.
            try await connection.execute(
                """
                INSERT INTO installation_secrets (name, master_key_id, wrapped_key, sealed_value)
                VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING
                """, [name, wrapped.masterKeyID, wrapped.encoded, sealed.encoded])
            return try await connection.queryFirst(
                "SELECT wrapped_key, sealed_value FROM installation_secrets WHERE name = $1", [name])
        }
        guard let row else { throw AppError(.internal, "The installation secret could not be stored.") }
        let ring = try KeyRing.unwrapping(
            [WrappedDataKey(encoded: try row.decode("wrapped_key", as: [UInt8].self))], tenantID: scope,
            masterKeys: masterKeys)
        var opened = try ring.open(
            Ciphertext(encoded: try row.decode("sealed_value", as: [UInt8].self)),
            authenticating: AssociatedData.make(scope))
        defer { wipe(&opened) }
        return try SecretKey(bytes: opened)
    }
}

/// Overwrites a temporary copy of secret bytes before it is released (best effort: the key itself
/// lives on in a `SecretKey`, which wipes its own storage).
private func wipe(_ bytes: inout [UInt8]) {
    for index in bytes.indices { bytes[index] = 0 }
}
