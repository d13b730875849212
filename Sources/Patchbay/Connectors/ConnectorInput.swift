import Foundation
import JSON

/// What to install: a catalog entry, a name, settings and credentials. Credentials left empty are
/// simply not stored.
public struct ConnectorDraft: Sendable {
    public var catalogKey: String
    public var name: String
    public var config: JSONObject
    public var auth: JSONObject
    public var tags: [String]

    public init(
        catalogKey: String, name: String, config: JSONObject = [:], auth: JSONObject = [:],
        tags: [String] = []
    ) {
        self.catalogKey = catalogKey
        self.name = name
        self.config = config
        self.auth = auth
        self.tags = tags
    }
}

/// What happens to one stored auth field on update.
public enum AuthFieldChange: Sendable, Equatable {
    /// A new value replaces the stored one ("Update secret").
    case set(JSON)
    /// The stored value is removed (refused by validation when the schema requires the field).
    case clear
    /// The stored value stays, whatever it is: what an omitted field or `{"unchanged": true}` means.
    case keep
}

/// How the settings change on update.
public enum ConfigChange: Sendable {
    /// The settings become exactly this object (PUT, the edit form).
    case replace(JSONObject)
    /// Top-level members are set, and those given as `null` removed (PATCH).
    case merge(JSONObject)
}

/// An update of an installed connector. Anything nil (or absent from `auth`) stays as it is.
public struct ConnectorChanges: Sendable {
    public var name: String?
    public var config: ConfigChange?
    /// Per auth field; fields not listed keep their stored value.
    public var auth: [String: AuthFieldChange]
    public var tags: [String]?
    /// The `row_version` the caller last saw; a different current version is a 409.
    public var expectedVersion: Int?
    /// Moves the connector to the catalog entry's latest version, validating against its schemas.
    public var upgrade: Bool

    public init(
        name: String? = nil, config: ConfigChange? = nil, auth: [String: AuthFieldChange] = [:],
        tags: [String]? = nil, expectedVersion: Int? = nil, upgrade: Bool = false
    ) {
        self.name = name
        self.config = config
        self.auth = auth
        self.tags = tags
        self.expectedVersion = expectedVersion
        self.upgrade = upgrade
    }
}

/// Filters of the Installed list (combined with AND) and its page.
public struct ConnectorFilter: Sendable, Hashable {
    public var status: ConnectorStatus?
    /// A catalog category (`payments`, `database`...).
    public var category: String?
    public var tag: String?
    /// Words that must all appear in the name, the catalog entry's name or its key.
    public var query: String?
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 200

    public init(
        status: ConnectorStatus? = nil, category: String? = nil, tag: String? = nil, query: String? = nil,
        limit: Int = 50, offset: Int = 0
    ) {
        func clean(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        self.status = status
        self.category = clean(category)
        self.tag = clean(tag)?.lowercased()
        self.query = clean(query).map { String($0.prefix(100)) }
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.offset = max(offset, 0)
    }
}

/// One page of installed connectors.
public struct ConnectorPage: Sendable {
    public var connectors: [Connector]
    /// How many match the filter, over all pages.
    public var total: Int
    public var limit: Int
    public var offset: Int
}

/// A page of the Installed list with its filter counts, as read at one moment. Its `stamp` is unique
/// to that read: whatever is derived from the listing (a JSON body, a view model) may be cached under
/// it, and a newer read gets a new stamp.
public struct ConnectorListing: Sendable {
    public var page: ConnectorPage
    public var facets: ConnectorFacets
    public var stamp: UInt64
}

/// Counts over all of a tenant's connectors, for the Installed tab's filters.
public struct ConnectorFacets: Sendable {
    public var total: Int
    public var statusCounts: [ConnectorStatus: Int]
    /// Catalog categories in use, by name, with how many connectors each.
    public var categories: [(name: String, count: Int)]
}

/// Whether a connector can move to its catalog entry's latest version as it is.
public struct UpgradePlan: Sendable {
    public var fromVersion: String
    public var toVersion: String
    /// Per-field problems of the current config and credentials under the new schemas (empty: ready).
    public var problems: [String: [String]]

    public var isReady: Bool { problems.isEmpty }
}
