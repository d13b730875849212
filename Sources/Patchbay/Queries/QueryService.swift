import Foundation
import JSON

/// Read-only queries on database connectors, run on the caller's behalf: the caller sends SQL and
/// values, Patchbay connects with the connector's credentials (which the caller never sees) and
/// returns typed rows.
///
/// Developers (and above) may query any active PostgreSQL-compatible connector of their tenant. An
/// API token bound to an agent may query only the connectors attached to its agent, with the
/// attachment's settings laid over the connector's.
public struct QueryService: Sendable {
    public let attachments: AttachmentService
    public let settings: QuerySettings

    public init(attachments: AttachmentService, settings: QuerySettings) {
        self.attachments = attachments
        self.settings = settings
    }

    var connectors: ConnectorService { attachments.connectors }

    /// Runs `request` on connector `connectorID`. 404 for an unknown connector, 403 for an agent's
    /// token without an attachment of it, 422 for a connector that is not a database, 501 for a
    /// database other than PostgreSQL, 409 unless it is active; errors of the server come back as
    /// 422 (the statement) or 503 (the connection).
    public func query(connectorID: UUID, _ request: QueryRequest, _ identity: Identity?) async throws
        -> QueryResult
    {
        let caller = try Authorization.tenant(for: .connectorQuery, identity)
        let stored = try await connectors.database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(connectorID, tenantID: caller.tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        let connector = stored.connector
        let config = try await effectiveConfig(for: connector, request, caller)
        let type = try await connectors.types.version(connector.catalog.versionID, tenantID: caller.tenantID)
        try Self.checkQueryable(connector, type)
        let plan = try PlannedQuery.plan(request, settings: settings, config: config)
        let auth = try await connectors.vault.open(
            stored.sealedAuth, tenantID: caller.tenantID, connectorID: connector.id)
        let outbound = connectors.environment.outbound
        let runner = PostgresQueryRunner(
            prober: outbound.prober, policy: outbound.policy, logger: outbound.logger, settings: settings)
        return try await runner.run(
            plan, config: SchemaDefaults.applying(type.manifest.configSchemaJSON, to: config), auth: auth)
    }

    /// The settings to connect with: the connector's, or for an agent's token those of its attachment.
    private func effectiveConfig(for connector: Connector, _ request: QueryRequest, _ caller: Caller)
        async throws
        -> JSONObject
    {
        guard let agentID = caller.identity.agentID else {
            if request.alias != nil {
                throw AppError.validation(["alias": ["is only for tokens bound to an agent"]])
            }
            return connector.config
        }
        var mine = try await attachments.attachments(
            agentID: agentID, connectorID: connector.id, tenantID: caller.tenantID)
        if let alias = request.alias {
            mine = mine.filter { $0.alias.lowercased() == alias.lowercased() }
        }
        guard let attachment = mine.first else {
            let named = request.alias.map { " as “\($0)”" } ?? ""
            throw AppError(
                .forbidden, "This token's agent (\(agentID)) has no attachment of this connector\(named).")
        }
        guard mine.count == 1 else {
            throw AppError.validation([
                "alias": ["is required: the agent has this connector attached under several aliases"]
            ])
        }
        return attachment.effectiveConfig(over: connector.config)
    }

    /// Only active PostgreSQL-compatible connectors run queries; the reason otherwise.
    static func checkQueryable(_ connector: Connector, _ type: ConnectorType) throws {
        let manifest = type.manifest
        guard manifest.kind == "database" else {
            throw AppError(
                .validation,
                "\(connector.name) is a \(manifest.name) connector (kind \(manifest.kind)); only database "
                    + "connectors run queries.")
        }
        guard manifest.json["test"]?["type"]?.string == "postgresql" else {
            throw AppError(
                .notImplemented,
                "Queries on \(manifest.name) connectors are not supported yet; they run on PostgreSQL, "
                    + "CockroachDB and Redshift connectors.")
        }
        guard connector.status == .active else {
            throw AppError(
                .conflict,
                "\(connector.name) is \(connector.status.rawValue): activate it before running queries.")
        }
    }
}
