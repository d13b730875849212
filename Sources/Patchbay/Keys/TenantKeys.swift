import Foundation
import Postgres
import Secrets
import Synchronization

/// Each tenant's data keys: created with the tenant, stored wrapped by the master key in
/// `tenant_keys`, unwrapped into a `KeyRing` on first use and kept in memory.
///
/// Several nodes share the table. A node that meets a ciphertext sealed under a version it has not
/// loaded (another node rotated) reloads the ring once: `keyRing(for:containing:)`.
public final class TenantKeys: Sendable {
    public let masterKeys: MasterKeySet
    private let database: Database
    private let rings = Mutex<[UUID: KeyRing]>([:])
    private let installation: InstallationSecrets

    public init(database: Database, masterKeys: MasterKeySet) {
        self.database = database
        self.masterKeys = masterKeys
        self.installation = InstallationSecrets(database: database, masterKeys: masterKeys)
    }

    /// Creates data key version 1 for a tenant being created, inside the caller's transaction.
    public func createFirstKey(for tenantID: UUID, on connection: PostgresConnection) async throws {
        try await insert(DataKey.generate(version: 1), tenantID: tenantID, on: connection)
    }

    /// The tenant's key ring, loaded once per node.
    public func keyRing(for tenantID: UUID) async throws -> KeyRing {
        if let ring = rings.withLock({ $0[tenantID] }) { return ring }
        return try await load(tenantID)
    }

    /// The tenant's key ring, reloaded if it lacks `version` (a key another node added).
    public func keyRing(for tenantID: UUID, containing version: UInt32) async throws -> KeyRing {
        let ring = try await keyRing(for: tenantID)
        if ring.versions.contains(version) { return ring }
        return try await load(tenantID)
    }

    /// Adds a new data key version and makes it current (the first step of a data key rotation;
    /// re-encrypting stored values under it follows).
    @discardableResult
    public func rotate(tenantID: UUID) async throws -> UInt32 {
        let version: UInt32 = try await database.tenant(tenantID) { connection in
            let row = try await connection.queryFirst(
                "SELECT coalesce(max(version), 0) + 1 FROM tenant_keys WHERE tenant_id = $1", [tenantID])
            let next = UInt32(try row?.decode(0, as: Int.self) ?? 1)
            try await connection.execute(
                "UPDATE tenant_keys SET is_current = false WHERE tenant_id = $1 AND is_current", [tenantID])
            try await insert(DataKey.generate(version: next), tenantID: tenantID, on: connection)
            return next
        }
        _ = try await load(tenantID)
        return version
    }

    /// The tenant's fingerprinter for secret values, keyed from the installation secret.
    public func fingerprinter(for tenantID: UUID) async throws -> Fingerprinter {
        try Fingerprinter.forTenant(
            tenantID.uuidString.lowercased(), installationKey: await installation.fingerprintKey())
    }

    private func insert(_ key: DataKey, tenantID: UUID, on connection: PostgresConnection) async throws {
        let wrapped = try masterKeys.wrap(key, tenantID: tenantID.uuidString.lowercased())
        try await connection.execute(
            """
            INSERT INTO tenant_keys (tenant_id, version, master_key_id, wrapped_key, is_current)
            VALUES ($1, $2, $3, $4, true)
            """,
            [tenantID, Int(key.version), wrapped.masterKeyID, wrapped.encoded])
    }

    private func load(_ tenantID: UUID) async throws -> KeyRing {
        let rows = try await database.tenant(tenantID, readOnly: true) { connection in
            try await connection.query(
                "SELECT version, wrapped_key, is_current FROM tenant_keys WHERE tenant_id = $1 ORDER BY version",
                [tenantID])
        }
        var wrapped: [WrappedDataKey] = []
        var current: UInt32?
        for row in rows {
            let key = try WrappedDataKey(encoded: try row.decode("wrapped_key", as: [UInt8].self))
            wrapped.append(key)
            if try row.decode("is_current", as: Bool.self) { current = key.version }
        }
        guard !wrapped.isEmpty else { throw AppError(.internal, "The workspace has no encryption key.") }
        let ring = try KeyRing.unwrapping(
            wrapped, tenantID: tenantID.uuidString.lowercased(), masterKeys: masterKeys,
            currentVersion: current)
        rings.withLock { $0[tenantID] = ring }
        return ring
    }
}
