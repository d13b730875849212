import Foundation
import JSON

/// A catalog entry as tenants see it: the connector type and its latest version's manifest.
/// A class: lists of entries are copied and filtered on every request, and a reference costs one retain.
public final class CatalogEntry: Sendable {
    public let id: UUID
    public let manifest: ConnectorManifest
    /// The tenant that owns a private entry; nil for platform entries.
    public let ownerTenantID: UUID?
    public let latestVersionID: UUID

    public var key: String { manifest.key }
    public var isPlatform: Bool { ownerTenantID == nil }

    /// Lower-cased text searched by `q`: key, name, description, provider, category and tags.
    let searchText: String

    init(id: UUID, manifest: ConnectorManifest, ownerTenantID: UUID?, latestVersionID: UUID) {
        self.id = id
        self.manifest = manifest
        self.ownerTenantID = ownerTenantID
        self.latestVersionID = latestVersionID
        searchText =
            ([manifest.key, manifest.name, manifest.description, manifest.provider, manifest.category]
            + manifest.tags).joined(separator: " ").lowercased()
    }

    /// The summary the list endpoints return.
    public var summaryJSON: JSON {
        [
            "key": .string(key),
            "name": .string(manifest.name),
            "description": .string(manifest.description),
            "category": .string(manifest.category),
            "kind": .string(manifest.kind),
            "provider": .string(manifest.provider),
            "icon_url": .string("/static/icons/\(manifest.icon)"),
            "auth_type": .string(manifest.authType),
            "status": .string(manifest.status),
            "version": .string(manifest.version.text),
            "docs_url": .string(manifest.docsURL),
            "capabilities": .array(manifest.capabilities.map(JSON.string)),
            "tags": .array(manifest.tags.map(JSON.string)),
            "is_platform": .bool(isPlatform),
        ]
    }
}

/// Filters of the catalog list (all optional, combined with AND).
public struct CatalogFilter: Sendable, Hashable {
    public var query: String?
    public var category: String?
    public var kind: String?
    public var status: String?

    public init(query: String? = nil, category: String? = nil, kind: String? = nil, status: String? = nil) {
        func clean(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        self.query = clean(query)?.lowercased()
        self.category = clean(category)
        self.kind = clean(kind)
        self.status = clean(status)
    }

    func matches(_ entry: CatalogEntry) -> Bool {
        if let category, entry.manifest.category != category { return false }
        if let kind, entry.manifest.kind != kind { return false }
        if let status, entry.manifest.status != status { return false }
        if let query {
            return query.split(separator: " ").allSatisfy { entry.searchText.contains($0) }
        }
        return true
    }
}
