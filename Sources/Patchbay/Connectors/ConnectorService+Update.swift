import Foundation
import JSON
import Postgres
import Secrets

extension ConnectorService {
    /// Changes a connector's name, settings, credentials or tags (PUT, PATCH and the edit form).
    ///
    /// The result is validated as a whole against the pinned version's schemas (the latest version's
    /// with `changes.upgrade`); on any problem nothing changes. Credentials not named in `changes.auth`
    /// keep their stored values. A save that changes nothing is not recorded.
    public func update(id: UUID, _ changes: ConnectorChanges, _ identity: Identity?, request: RequestInfo)
        async throws -> Connector
    {
        let caller = try Authorization.tenant(for: .connectorUpdate, identity)
        return try await apply(changes, to: id, caller, request)
    }

    /// Moves a connector to its catalog entry's latest version, if its settings and credentials are
    /// valid there (422 with the problems otherwise, and nothing changes).
    public func upgrade(id: UUID, expectedVersion: Int?, _ identity: Identity?, request: RequestInfo)
        async throws -> Connector
    {
        let caller = try Authorization.tenant(for: .connectorUpdate, identity)
        return try await apply(
            ConnectorChanges(expectedVersion: expectedVersion, upgrade: true), to: id, caller, request)
    }

    /// What upgrading to the latest version would find wrong with the stored settings and credentials.
    public func upgradePlan(id: UUID, _ identity: Identity?) async throws -> UpgradePlan {
        let caller = try Authorization.tenant(for: .installedRead, identity)
        let stored = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        let (_, latest) = try await types.latest(key: stored.connector.catalog.key, tenantID: caller.tenantID)
        let auth = latest.auth.restricted(
            try await vault.open(stored.sealedAuth, tenantID: caller.tenantID, connectorID: id))
        var problems: [String: [String]] = [:]
        ConnectorRules.validate(config: stored.connector.config, auth: auth, type: latest, &problems)
        return UpgradePlan(
            fromVersion: stored.connector.catalog.version, toVersion: latest.manifest.version.text,
            problems: problems)
    }

    /// Every problem `changes` would meet, without saving anything (the edit form's live checks).
    public func checkUpdate(id: UUID, _ changes: ConnectorChanges, _ identity: Identity?) async throws
        -> [String: [String]]
    {
        let caller = try Authorization.tenant(for: .connectorValidate, identity)
        let (stored, type) = try await prepare(id, changes, caller)
        let fingerprinter = try await environment.tenantKeys.fingerprinter(for: caller.tenantID)
        var errors = try await evaluate(changes, stored, type, caller, fingerprinter).errors
        if errors["name"] == nil, let name = changes.name, try await isNameTaken(name, excluding: id, caller)
        {
            errors["name"] = Self.nameTaken(name).fields["name"]
        }
        return errors
    }

    /// The stored connector and the version its changes are checked against. Resolved before any
    /// row is locked: loading a catalog version may need a connection of its own.
    private func prepare(_ id: UUID, _ changes: ConnectorChanges, _ caller: Caller) async throws
        -> (StoredConnector, ConnectorType)
    {
        let stored = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        try Self.checkVersion(stored.connector, expected: changes.expectedVersion)
        let current = stored.connector.catalog
        let type =
            changes.upgrade
            ? try await types.latest(key: current.key, tenantID: caller.tenantID).1
            : try await types.version(current.versionID, tenantID: caller.tenantID)
        return (stored, type)
    }

    /// The connector after `changes`, and what is wrong with it.
    private struct Outcome {
        var name: String
        var tags: [String]
        var config: JSONObject
        var auth: JSONObject
        var states: [AuthFieldState]
        var errors: [String: [String]]
        /// `name`, `tags`, `config.port`, `auth.api_key`...: what differs from the stored connector.
        var changed: [String]
    }

    private func evaluate(
        _ changes: ConnectorChanges, _ stored: StoredConnector, _ type: ConnectorType, _ caller: Caller,
        _ fingerprinter: Fingerprinter
    ) async throws -> Outcome {
        let old = stored.connector
        var errors: [String: [String]] = [:]
        let name = changes.name.map { ConnectorRules.name($0, &errors) } ?? old.name
        let tags = changes.tags.map { ConnectorRules.tags($0, &errors) } ?? old.tags
        let config = Self.config(old.config, changes.config)
        let storedAuth = try await vault.open(
            stored.sealedAuth, tenantID: caller.tenantID, connectorID: old.id)
        let auth = AuthFields.merge(storedAuth, changes.auth, shape: type.auth)
        ConnectorRules.validate(config: config, auth: auth, type: type, &errors)
        let states = try AuthFields.states(
            for: auth, previous: old.authFields, shape: type.auth, fingerprinter: fingerprinter,
            actor: caller.actorName, now: Date())
        var changed: [String] = []
        if name != old.name { changed.append("name") }
        if tags != old.tags { changed.append("tags") }
        changed += Self.changedKeys(old.config, config).map { "config." + $0 }
        changed += AuthFields.changedNames(old.authFields, states).map { "auth." + $0 }
        return Outcome(
            name: name, tags: tags, config: config, auth: auth, states: states, errors: errors,
            changed: changed)
    }

    private func apply(_ changes: ConnectorChanges, to id: UUID, _ caller: Caller, _ request: RequestInfo)
        async throws -> Connector
    {
        let (first, type) = try await prepare(id, changes, caller)
        let fingerprinter = try await environment.tenantKeys.fingerprinter(for: caller.tenantID)
        _ = try await environment.tenantKeys.keyRing(for: caller.tenantID)
        var newName = changes.name ?? first.connector.name
        do {
            let connector = try await database.tenant(caller.tenantID) { connection -> Connector in
                guard
                    let stored = try await ConnectorStore.find(
                        id, tenantID: caller.tenantID, lock: true, on: connection)
                else { throw AppError.notFound("The connector") }
                let old = stored.connector
                try Self.checkVersion(old, expected: changes.expectedVersion)
                if old.catalog.versionID != first.connector.catalog.versionID {
                    // Upgraded between the first read and the lock: the schemas resolved above are stale.
                    try Self.checkVersion(old, expected: first.connector.rowVersion)
                }
                let outcome = try await evaluate(changes, stored, type, caller, fingerprinter)
                newName = outcome.name
                guard outcome.errors.isEmpty else { throw AppError.validation(outcome.errors) }
                let upgraded = type.versionID != old.catalog.versionID
                guard !outcome.changed.isEmpty || upgraded else { return old }

                let sealed = try await vault.seal(outcome.auth, tenantID: caller.tenantID, connectorID: id)
                try await ConnectorStore.update(
                    ConnectorStore.Row(
                        id: id, tenantID: caller.tenantID, catalogID: old.catalog.id,
                        versionID: type.versionID,
                        name: outcome.name, config: outcome.config, tags: outcome.tags, sealed: sealed,
                        authFields: AuthFields.encode(outcome.states), actorID: caller.identity.userID,
                        actorName: caller.actorName),
                    on: connection)
                var details: JSONObject = [
                    "name": .string(outcome.name), "changed": .array(outcome.changed.map(JSON.string)),
                ]
                if upgraded {
                    details["from_version"] = .string(old.catalog.version)
                    details["to_version"] = .string(type.manifest.version.text)
                }
                try await record(
                    upgraded ? "connector.upgraded" : "connector.updated", old, details: details, caller,
                    request, connection)
                try await announceChange(caller.tenantID, on: connection)
                guard
                    let updated = try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
                else {
                    throw AppError.notFound("The connector")
                }
                return updated.connector
            }
            listCache.invalidate(caller.tenantID)
            return ordered(connector, type)
        } catch let error where Self.isNameConflict(error) {
            throw Self.nameTaken(newName)
        }
    }

    static func config(_ old: JSONObject, _ change: ConfigChange?) -> JSONObject {
        switch change {
        case nil: return old
        case .replace(let object): return object
        case .merge(let patch):
            var merged = old
            for (key, value) in patch {
                if value.isNull { _ = merged.removeValue(forKey: key) } else { merged[key] = value }
            }
            return merged
        }
    }

    static func changedKeys(_ old: JSONObject, _ new: JSONObject) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }
}
