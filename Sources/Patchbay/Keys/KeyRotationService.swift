import Foundation
import Postgres
import Secrets

/// The two key rotations, both online and safe to run again after an interruption.
///
/// - Master key: with the new key loaded as current and the old one as previous, every wrapped data
///   key (and installation secret) is unwrapped with the old key and wrapped with the new one. Data
///   keys themselves do not change, so no stored value is touched.
/// - Tenant data key: a new data key version becomes current, then the tenant's sealed credentials are
///   re-encrypted under it in small batches, each its own transaction, while the app keeps serving.
///   Old versions stay loadable, so a value sealed under one (by a node that has not seen the new key
///   yet) is never lost: the rotation repeats until no row is left under an old version.
public struct KeyRotationService: Sendable {
    let environment: AppEnvironment

    public init(environment: AppEnvironment) { self.environment = environment }

    public struct MasterReport: Sendable {
        public var tenantKeys: Int
        public var installationSecrets: Int
    }

    public struct TenantReport: Sendable {
        public var version: UInt32
        public var reencrypted: Int
    }

    private var masterKeys: MasterKeySet { environment.tenantKeys.masterKeys }

    /// Rewraps every data key not yet under the current master key.
    public func rotateMaster(batchSize: Int = 500, request: RequestInfo = .commandLine) async throws
        -> MasterReport
    {
        let current = masterKeys.current.id
        var report = MasterReport(tenantKeys: 0, installationSecrets: 0)
        while true {
            let count = try await environment.database.system { connection in
                let rows = try await connection.query(
                    """
                    SELECT tenant_id, version, wrapped_key FROM tenant_keys WHERE master_key_id <> $1
                    ORDER BY tenant_id, version LIMIT $2 FOR UPDATE
                    """, [current, batchSize])
                for row in rows {
                    let tenantID: UUID = try row.decode("tenant_id")
                    let wrapped = try WrappedDataKey(encoded: try row.decode("wrapped_key"))
                    let rewrapped = try rewrap(wrapped, scope: tenantID.uuidString.lowercased())
                    try await connection.execute(
                        "UPDATE tenant_keys SET wrapped_key = $3, master_key_id = $4 WHERE tenant_id = $1 AND version = $2",
                        [tenantID, Int(wrapped.version), rewrapped.encoded, current])
                }
                return rows.count
            }
            report.tenantKeys += count
            if count < batchSize { break }
        }
        report.installationSecrets = try await environment.database.system { connection in
            let rows = try await connection.query(
                "SELECT name, wrapped_key FROM installation_secrets WHERE master_key_id <> $1 FOR UPDATE",
                [current])
            for row in rows {
                let name: String = try row.decode("name")
                let wrapped = try WrappedDataKey(encoded: try row.decode("wrapped_key"))
                let rewrapped = try rewrap(wrapped, scope: InstallationSecrets.scope(name))
                try await connection.execute(
                    "UPDATE installation_secrets SET wrapped_key = $2, master_key_id = $3 WHERE name = $1",
                    [name, rewrapped.encoded, current])
            }
            try await AuditLog.record(
                AuditEntry(
                    tenantID: nil, actor: .commandLine, action: "keys.master_rotated",
                    targetType: "master_key",
                    targetID: current, details: ["data_keys_rewrapped": .int(Int64(report.tenantKeys))]),
                request: request, on: connection)
            return rows.count
        }
        return report
    }

    /// Gives the tenant a new data key and re-encrypts its connectors' credentials under it.
    public func rotateTenant(
        slug: String, batchSize: Int = 200, request: RequestInfo = .commandLine,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> TenantReport {
        let tenant = try await TenantService(environment: environment).require(slug: slug)
        let keys = environment.tenantKeys
        let version = try await keys.rotate(tenantID: tenant.id)
        let ring = try await keys.keyRing(for: tenant.id, containing: version)
        var done = 0
        var idlePasses = 0
        while true {
            let count = try await reencryptBatch(
                tenant.id, ring: ring, version: version, batchSize: batchSize)
            done += count
            if count > 0 {
                progress(done)
                idlePasses = 0
                continue
            }
            // Nothing left that is not locked: finished, unless rows are held by edits in flight.
            guard try await remaining(tenant.id, version: version) > 0 else { break }
            idlePasses += 1
            if idlePasses > 100 {
                throw AppError(
                    .unavailable, "Some connectors stayed locked; run the rotation again to finish.")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await environment.database.tenant(tenant.id) { connection in
            try await AuditLog.record(
                AuditEntry(
                    tenantID: tenant.id, actor: .commandLine, action: "keys.tenant_rotated",
                    targetType: "tenant",
                    targetID: tenant.id.uuidString.lowercased(),
                    details: ["version": .int(Int64(version)), "reencrypted": .int(Int64(done))]),
                request: request, on: connection)
        }
        return TenantReport(version: version, reencrypted: done)
    }

    private func reencryptBatch(_ tenantID: UUID, ring: KeyRing, version: UInt32, batchSize: Int) async throws
        -> Int
    {
        try await environment.database.tenant(tenantID) { connection in
            // SKIP LOCKED: a row being edited right now is left for a later pass, not waited for.
            let rows = try await connection.query(
                """
                SELECT id, auth_ciphertext FROM connectors
                WHERE tenant_id = $1 AND auth_ciphertext IS NOT NULL AND auth_key_version <> $2
                ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
                """, [tenantID, Int(version), batchSize])
            for row in rows {
                let id: UUID = try row.decode("id")
                let sealed = try AuthVault.reseal(
                    try row.decode("auth_ciphertext"), in: ring, toVersion: version, tenantID: tenantID,
                    connectorID: id)
                try await connection.execute(
                    "UPDATE connectors SET auth_ciphertext = $2, auth_key_version = $3 WHERE id = $1",
                    [id, sealed.bytes, sealed.keyVersion])
            }
            return rows.count
        }
    }

    private func remaining(_ tenantID: UUID, version: UInt32) async throws -> Int {
        try await environment.database.tenant(tenantID, readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT count(*) FROM connectors WHERE tenant_id = $1 AND auth_ciphertext IS NOT NULL AND auth_key_version <> $2",
                [tenantID, Int(version)]
            )?.decode(0, as: Int.self) ?? 0
        }
    }

    private func rewrap(_ wrapped: WrappedDataKey, scope: String) throws -> WrappedDataKey {
        guard masterKeys.key(id: wrapped.masterKeyID) != nil else {
            throw AppError(
                .badRequest,
                "A data key is wrapped by master key \(wrapped.masterKeyID), which is not loaded. Set "
                    + "PATCHBAY_MASTER_KEY_PREVIOUS (or --previous-key-file) to the key used before.")
        }
        return try masterKeys.rewrap(wrapped, tenantID: scope)
    }
}
