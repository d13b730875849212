import Foundation
import JSON
import Postgres

/// A tenant's installed connectors: the one service under the dashboard, the forms and the API.
///
/// Every method checks the caller's role first (`Authorization.tenant`), works inside the caller's
/// tenant scope (another tenant's connector is simply not found), and records each change in the
/// audit log in the same transaction. Credentials are sealed with the tenant's data key before they
/// reach the database and never come back out of this service.
public struct ConnectorService: Sendable {
    let environment: AppEnvironment
    public let catalog: CatalogService
    let types: ConnectorTypes
    /// Recent pages of the Installed list; `followChanges` keeps it in step with other nodes.
    public let listCache: ConnectorListCache

    public init(
        environment: AppEnvironment, catalog: CatalogService,
        listCache: ConnectorListCache = ConnectorListCache()
    ) {
        self.environment = environment
        self.catalog = catalog
        self.types = ConnectorTypes(catalog: catalog, database: environment.database)
        self.listCache = listCache
    }

    var database: Database { environment.database }
    var vault: AuthVault { AuthVault(keys: environment.tenantKeys) }

    /// The catalog, as the Catalog tab lists it.
    public func listCatalog(_ filter: CatalogFilter, limit: Int = 500, offset: Int = 0, _ identity: Identity?)
        async throws -> CatalogPage
    {
        let caller = try Authorization.tenant(for: .catalogRead, identity)
        return try await catalog.list(tenantID: caller.tenantID, filter: filter, limit: limit, offset: offset)
    }

    /// One page of the tenant's connectors, in name order.
    public func list(_ filter: ConnectorFilter = ConnectorFilter(), _ identity: Identity?) async throws
        -> ConnectorPage
    {
        try await listing(filter, identity).page
    }

    /// A page of connectors and the counts behind the filters, read in one transaction (or recently:
    /// see `ConnectorListCache`).
    public func listing(_ filter: ConnectorFilter, _ identity: Identity?) async throws -> ConnectorListing {
        let caller = try Authorization.tenant(for: .installedRead, identity)
        if let cached = listCache.lookup(caller.tenantID, filter) { return cached }
        let generation = listCache.generation(caller.tenantID)
        let (page, facets) = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            let page = try await ConnectorStore.list(filter, tenantID: caller.tenantID, on: connection)
            return (page, try await ConnectorStore.facets(tenantID: caller.tenantID, on: connection))
        }
        return listCache.store(caller.tenantID, filter, page: page, facets: facets, generation: generation)
    }

    /// One connector, or 404.
    public func get(id: UUID, _ identity: Identity?) async throws -> Connector {
        let caller = try Authorization.tenant(for: .installedRead, identity)
        let connector = try await read(id, caller)
        let type = try await types.version(connector.catalog.versionID, tenantID: caller.tenantID)
        return ordered(connector, type)
    }

    /// The catalog version a connector is pinned to (its forms and rules).
    public func type(of connector: Connector, _ identity: Identity?) async throws -> ConnectorType {
        let caller = try Authorization.tenant(for: .installedRead, identity)
        return try await types.version(connector.catalog.versionID, tenantID: caller.tenantID)
    }

    /// The latest version of a catalog entry (what a new install uses), or 404.
    public func latestType(catalogKey: String, _ identity: Identity?) async throws -> (
        CatalogEntry, ConnectorType
    ) {
        let caller = try Authorization.tenant(for: .catalogRead, identity)
        return try await types.latest(key: catalogKey, tenantID: caller.tenantID)
    }

    /// Checks settings and credentials for a catalog entry without saving anything. Returns the
    /// per-field problems (`config.port`, `auth.api_key`), empty when all is valid.
    public func validateConfig(
        catalogKey: String, config: JSONObject, auth: JSONObject, _ identity: Identity?
    )
        async throws -> [String: [String]]
    {
        let caller = try Authorization.tenant(for: .connectorValidate, identity)
        let (_, type) = try await catalogEntry(catalogKey, caller)
        var errors: [String: [String]] = [:]
        let (settings, credentials) = ConnectorRules.newInstall(config: config, auth: auth, type: type)
        ConnectorRules.validate(config: settings, auth: credentials, type: type, &errors)
        return errors
    }

    /// Active connectors whose catalog entry can publish content.
    public func publishTargets(_ identity: Identity?) async throws -> [PublishTarget] {
        let caller = try Authorization.tenant(for: .publishRead, identity)
        return try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.publishTargets(tenantID: caller.tenantID, on: connection)
        }
    }

    /// The connector's recorded changes, newest first (status history, installs, edits).
    public func history(id: UUID, limit: Int = 50, _ identity: Identity?) async throws -> [AuditEvent] {
        let caller = try Authorization.tenant(for: .installedRead, identity)
        return try await database.tenant(caller.tenantID, readOnly: true) { connection in
            guard try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection) != nil else {
                throw AppError.notFound("The connector")
            }
            return try await AuditLog.events(
                tenantID: caller.tenantID, targetType: "connector", targetID: id.uuidString.lowercased(),
                limit: limit, on: connection)
        }
    }

    // MARK: Shared steps

    func read(_ id: UUID, _ caller: Caller) async throws -> Connector {
        let stored = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        return stored.connector
    }

    /// The latest version of `key` for a new install; an unknown key is a problem with `catalog_key`.
    func catalogEntry(_ key: String, _ caller: Caller) async throws -> (CatalogEntry, ConnectorType) {
        let key = key.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw AppError.validation(["catalog_key": ["is required"]]) }
        do {
            return try await types.latest(key: key, tenantID: caller.tenantID)
        } catch let error as AppError where error.kind == .notFound {
            throw AppError.validation(["catalog_key": ["is not a connector type in the catalog"]])
        }
    }

    func ordered(_ connector: Connector, _ type: ConnectorType) -> Connector {
        var connector = connector
        let order = type.auth.orderedKeys
        connector.authFields.sort {
            (order.firstIndex(of: $0.name) ?? .max, $0.name) < (
                order.firstIndex(of: $1.name) ?? .max, $1.name
            )
        }
        return connector
    }

    /// Every change to a tenant's connectors: the notification goes out with the transaction.
    func announceChange(_ tenantID: UUID, on connection: PostgresConnection) async throws {
        try await ConnectorListCache.notify(tenantID, on: connection)
    }

    func record(
        _ action: String, _ connector: Connector, details: JSONObject, _ caller: Caller,
        _ request: RequestInfo,
        _ connection: PostgresConnection
    ) async throws {
        try await AuditLog.record(
            AuditEntry(
                tenantID: caller.tenantID, actor: caller.actor, action: action, targetType: "connector",
                targetID: connector.id.uuidString.lowercased(), details: details),
            request: request, on: connection)
    }

    /// 409 when the caller edited an older version than the one stored.
    static func checkVersion(_ connector: Connector, expected: Int?) throws {
        guard let expected, expected != connector.rowVersion else { return }
        let when = connector.updatedAt.ISO8601Format().replacingOccurrences(of: "T", with: " ")
            .replacingOccurrences(of: "Z", with: " UTC")
        let who = connector.updatedBy.isEmpty ? "someone else" : connector.updatedBy
        throw AppError(
            .conflict, "This connector was changed by \(who) at \(when). Reload to see the latest version.",
            fields: [
                "row_version": ["is \(expected), but the connector is at version \(connector.rowVersion)"]
            ])
    }

    /// A duplicate name (also when two installs race): the unique index decides.
    static func nameTaken(_ name: String) -> AppError {
        AppError(
            .conflict, "A connector named “\(name)” already exists in this workspace.",
            fields: ["name": ["is already used by another connector (names ignore case)"]])
    }

    static func isNameConflict(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        return error.isUniqueViolation && error.constraint == "connectors_tenant_name_key"
    }
}

extension Caller {
    /// The name stored as `created_by_name`/`updated_by_name` and shown as "changed by".
    var actorName: String { identity.tokenID == nil ? identity.displayName : identity.auditLabel }
}
