import Foundation
import JSON
import Secrets

/// Seals and opens a connector's auth object with its tenant's data key.
///
/// The whole object is one AES-256-GCM ciphertext. Its additional data names the tenant, the connector
/// and the data-key version, so a ciphertext copied to another row (or relabelled) fails to open.
struct AuthVault: Sendable {
    let keys: TenantKeys

    struct Sealed: Sendable {
        var bytes: [UInt8]
        var keyVersion: Int
    }

    static func associatedData(tenantID: UUID, connectorID: UUID, keyVersion: UInt32) -> [UInt8] {
        AssociatedData.make(
            "patchbay.connector-auth.v1", tenantID.uuidString.lowercased(),
            connectorID.uuidString.lowercased(),
            String(keyVersion))
    }

    /// Seals `auth` under the tenant's current key; nil for an empty object (nothing is stored).
    func seal(_ auth: JSONObject, tenantID: UUID, connectorID: UUID) async throws -> Sealed? {
        guard !auth.isEmpty else { return nil }
        let ring = try await keys.keyRing(for: tenantID)
        guard let version = ring.currentVersion else {
            throw AppError(.internal, "The workspace has no encryption key.")
        }
        var plaintext = JSON.object(auth).serialized()
        defer { wipe(&plaintext) }
        let sealed = try ring.seal(
            plaintext, version: version,
            authenticating: Self.associatedData(
                tenantID: tenantID, connectorID: connectorID, keyVersion: version))
        return Sealed(bytes: sealed.encoded, keyVersion: Int(version))
    }

    /// Opens a stored auth object; an absent ciphertext is the empty object.
    func open(_ bytes: [UInt8]?, tenantID: UUID, connectorID: UUID) async throws -> JSONObject {
        guard let bytes else { return [:] }
        let ciphertext = try Ciphertext(encoded: bytes)
        let ring = try await keys.keyRing(for: tenantID, containing: ciphertext.keyVersion)
        var plaintext = try ring.open(
            ciphertext,
            authenticating: Self.associatedData(
                tenantID: tenantID, connectorID: connectorID, keyVersion: ciphertext.keyVersion))
        defer { wipe(&plaintext) }
        guard case .object(let object) = try JSON(parsing: plaintext) else {
            throw AppError(.internal, "A stored credential is not an object.")
        }
        return object
    }

    /// `bytes` re-sealed under `version` of `ring` (key rotation); the additional data follows the version.
    static func reseal(
        _ bytes: [UInt8], in ring: KeyRing, toVersion version: UInt32, tenantID: UUID, connectorID: UUID
    ) throws -> Sealed {
        let ciphertext = try Ciphertext(encoded: bytes)
        let resealed = try ring.reencrypt(
            ciphertext,
            authenticating: associatedData(
                tenantID: tenantID, connectorID: connectorID, keyVersion: ciphertext.keyVersion),
            newAssociatedData: associatedData(
                tenantID: tenantID, connectorID: connectorID, keyVersion: version),
            toVersion: version)
        return Sealed(bytes: resealed.encoded, keyVersion: Int(version))
    }
}

/// Overwrites a temporary copy of secret bytes before it is released (best effort).
private func wipe(_ bytes: inout [UInt8]) {
    for index in bytes.indices { bytes[index] = 0 }
}
