import Foundation
import JSON
import Postgres

extension ConnectorService {
    /// Installs a connector of a catalog entry's latest version, inactive. Invalid input is a 422 with
    /// every problem per field; a name already used in the workspace (in any case) is a 409 on `name`.
    public func install(_ draft: ConnectorDraft, _ identity: Identity?, request: RequestInfo) async throws
        -> Connector
    {
        let caller = try Authorization.tenant(for: .connectorInstall, identity)
        let (entry, type) = try await latest(draft.catalogKey, caller)
        var errors: [String: [String]] = [:]
        let name = ConnectorRules.name(draft.name, &errors)
        let tags = ConnectorRules.tags(draft.tags, &errors)
        let (config, auth) = ConnectorRules.newInstall(config: draft.config, auth: draft.auth, type: type)
        ConnectorRules.validate(config: config, auth: auth, type: type, &errors)
        guard errors.isEmpty else { throw AppError.validation(errors) }

        let id = UUID()
        let fingerprinter = try await environment.tenantKeys.fingerprinter(for: caller.tenantID)
        let states = try AuthFields.states(
            for: auth, previous: [], shape: type.auth, fingerprinter: fingerprinter, actor: caller.actorName,
            now: Date())
        let sealed = try await vault.seal(auth, tenantID: caller.tenantID, connectorID: id)
        let row = ConnectorStore.Row(
            id: id, tenantID: caller.tenantID, catalogID: entry.id, versionID: type.versionID, name: name,
            config: config, tags: tags, sealed: sealed, authFields: AuthFields.encode(states),
            actorID: caller.identity.userID, actorName: caller.actorName)
        do {
            let connector = try await database.tenant(caller.tenantID) { connection in
                try await ConnectorStore.insert(row, on: connection)
                guard let stored = try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection) else {
                    throw AppError(.internal, "The connector was not saved.")
                }
                try await record(
                    "connector.installed", stored.connector,
                    details: [
                        "name": .string(name), "catalog": .string(entry.key),
                        "version": .string(type.manifest.version.text),
                        "auth_fields": .array(states.map { .string($0.name) }),
                    ], caller, request, connection)
                return stored.connector
            }
            return ordered(connector, type)
        } catch where Self.isNameConflict(error) {
            throw Self.nameTaken(name)
        }
    }

    /// The entry and its latest version for a new install; deprecated entries take no new installs.
    private func latest(_ key: String, _ caller: Caller) async throws -> (CatalogEntry, ConnectorType) {
        let (entry, type) = try await catalogEntry(key, caller)
        if entry.manifest.status == "deprecated" {
            throw AppError.validation(["catalog_key": ["is deprecated and takes no new installs"]])
        }
        return (entry, type)
    }
}
