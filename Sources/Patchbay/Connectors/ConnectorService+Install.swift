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
        let plan = try await evaluate(draft, caller)
        guard plan.errors.isEmpty else { throw AppError.validation(plan.errors) }

        let id = UUID()
        let fingerprinter = try await environment.tenantKeys.fingerprinter(for: caller.tenantID)
        let states = try AuthFields.states(
            for: plan.auth, previous: [], shape: plan.type.auth, fingerprinter: fingerprinter,
            actor: caller.actorName, now: Date())
        let sealed = try await vault.seal(plan.auth, tenantID: caller.tenantID, connectorID: id)
        let row = ConnectorStore.Row(
            id: id, tenantID: caller.tenantID, catalogID: plan.entry.id, versionID: plan.type.versionID,
            name: plan.name, config: plan.config, tags: plan.tags, sealed: sealed,
            authFields: AuthFields.encode(states), actorID: caller.identity.userID,
            actorName: caller.actorName)
        do {
            let connector = try await database.tenant(caller.tenantID) { connection in
                try await ConnectorStore.insert(row, on: connection)
                guard
                    let stored = try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
                else {
                    throw AppError(.internal, "The connector was not saved.")
                }
                try await record(
                    "connector.installed", stored.connector,
                    details: [
                        "name": .string(plan.name), "catalog": .string(plan.entry.key),
                        "version": .string(plan.type.manifest.version.text),
                        "auth_fields": .array(states.map { .string($0.name) }),
                    ], caller, request, connection)
                try await announceChange(caller.tenantID, on: connection)
                return stored.connector
            }
            listCache.invalidate(caller.tenantID)
            return ordered(connector, plan.type)
        } catch let error where Self.isNameConflict(error) {
            throw Self.nameTaken(plan.name)
        }
    }

    /// Every problem installing `draft` would meet, without saving anything (the form's live checks).
    public func checkInstall(_ draft: ConnectorDraft, _ identity: Identity?) async throws -> [String:
        [String]]
    {
        let caller = try Authorization.tenant(for: .connectorValidate, identity)
        var errors = try await evaluate(draft, caller).errors
        if errors["name"] == nil, try await isNameTaken(draft.name, excluding: nil, caller) {
            errors["name"] = Self.nameTaken(draft.name).fields["name"]
        }
        return errors
    }

    struct InstallPlan {
        var entry: CatalogEntry
        var type: ConnectorType
        var name: String
        var tags: [String]
        var config: JSONObject
        var auth: JSONObject
        var errors: [String: [String]]
    }

    private func evaluate(_ draft: ConnectorDraft, _ caller: Caller) async throws -> InstallPlan {
        let (entry, type) = try await catalogEntry(draft.catalogKey, caller)
        if entry.manifest.status == "deprecated" {
            throw AppError.validation(["catalog_key": ["is deprecated and takes no new installs"]])
        }
        var errors: [String: [String]] = [:]
        let name = ConnectorRules.name(draft.name, &errors)
        let tags = ConnectorRules.tags(draft.tags, &errors)
        let (config, auth) = ConnectorRules.newInstall(config: draft.config, auth: draft.auth, type: type)
        ConnectorRules.validate(config: config, auth: auth, type: type, &errors)
        return InstallPlan(
            entry: entry, type: type, name: name, tags: tags, config: config, auth: auth, errors: errors)
    }

    /// Whether another connector of the tenant has this name, ignoring case.
    func isNameTaken(_ name: String, excluding id: UUID?, _ caller: Caller) async throws -> Bool {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return false }
        return try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await connection.queryFirst(
                "SELECT 1 FROM connectors WHERE tenant_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3",
                [caller.tenantID, name, id]) != nil
        }
    }
}
