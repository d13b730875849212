import Foundation
import JSON
import Postgres

/// What one catalog sync did.
public struct CatalogSyncSummary: Sendable, CustomStringConvertible {
    public var added: [String] = []
    public var upgraded: [String] = []
    public var unchanged: [String] = []
    /// file or key → why it was refused.
    public var refused: [(String, String)] = []

    public var description: String {
        "added \(added.count), upgraded \(upgraded.count), unchanged \(unchanged.count), refused \(refused.count)"
    }
}

/// The sync was refused as a whole; nothing was written.
public struct CatalogSyncRefused: Error, Sendable, CustomStringConvertible {
    public let summary: CatalogSyncSummary

    public var description: String {
        "catalog sync refused, nothing was changed (\(summary)):\n"
            + summary.refused.map { "  \($0.0): \($0.1)" }.joined(separator: "\n")
    }
}

/// Brings the platform catalog in PostgreSQL in line with a set of manifests, idempotently and in
/// one transaction: new keys are added, higher versions add a version row and move the latest
/// pointer, identical manifests are skipped by checksum. A manifest that changed without a version
/// bump (or that is older than the latest and unknown) refuses the whole run, so a sync is never
/// half-applied.
public struct CatalogSeeder: Sendable {
    /// Channel on which every node hears that the catalog changed.
    public static let channel = "patchbay_catalog"
    static let lockKey: Int64 = 0x6361_7461_6C6F_6731

    let database: Database
    let batchSize: Int

    public init(database: Database, batchSize: Int = 25) {
        self.database = database
        self.batchSize = batchSize
    }

    public func sync(
        _ manifests: [ConnectorManifest], progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> CatalogSyncSummary {
        try await database.system { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            let existing = try await CatalogStore.platformVersions(connection)
            var summary = CatalogSyncSummary()
            var written = 0
            for (index, manifest) in manifests.enumerated() {
                switch Self.plan(manifest, existing[manifest.key]) {
                case .unchanged: summary.unchanged.append(manifest.key)
                case .refuse(let reason): summary.refused.append((manifest.key, reason))
                case .add:
                    try await CatalogStore.insertConnector(manifest, owner: nil, connection)
                    summary.added.append(manifest.key)
                    written += 1
                case .upgrade(let connectorID):
                    try await CatalogStore.addVersion(
                        manifest, connectorID: connectorID, owner: nil, connection)
                    summary.upgraded.append(manifest.key)
                    written += 1
                }
                if (index + 1) % batchSize == 0 || index == manifests.count - 1 {
                    progress("  \(index + 1)/\(manifests.count) manifests checked, \(written) written")
                }
            }
            if !summary.refused.isEmpty { throw CatalogSyncRefused(summary: summary) }
            if written > 0 {
                try await connection.execute("SELECT pg_notify($1, $2)", [Self.channel, "sync"])
            }
            return summary
        }
    }

    enum Plan: Equatable {
        case add
        case upgrade(UUID)
        case unchanged
        case refuse(String)
    }

    static func plan(_ manifest: ConnectorManifest, _ stored: StoredConnectorVersions?) -> Plan {
        guard let stored else { return .add }
        if let checksum = stored.checksums[manifest.version] {
            if checksum == manifest.checksum { return .unchanged }
            return .refuse(
                "version \(manifest.version) changed since it was published; give the manifest a new version")
        }
        guard let latest = stored.latest, manifest.version > latest else {
            return .refuse(
                "version \(manifest.version) is older than the published \(stored.latest?.description ?? "?")"
            )
        }
        return .upgrade(stored.connectorID)
    }
}

/// The versions already published for one connector.
struct StoredConnectorVersions: Sendable {
    let connectorID: UUID
    let latest: SemanticVersion?
    var checksums: [SemanticVersion: String]
}
