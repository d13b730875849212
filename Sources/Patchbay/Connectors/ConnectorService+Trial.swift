import Foundation
import JSON

extension ConnectorService {
    /// Runs a proposed custom HTTP config once, on sample values, without saving anything.
    ///
    /// The config and credentials are checked against the schemas first (422 with the per-field
    /// problems). The request goes through the outbound policy like any run; it is sent once (retries
    /// are for real runs) and the outcome, like every outcome, holds no credential.
    public func trial(_ trial: ConnectorTrial, _ identity: Identity?) async throws -> ExecutionOutcome {
        let caller = try Authorization.tenant(for: .connectorTest, identity)
        let (type, config, auth) = try await trialSubject(trial, caller)
        guard type.manifest.isCustomHTTP else {
            throw AppError(.badRequest, "Only custom HTTP connectors can be tried before saving.")
        }
        var errors: [String: [String]] = [:]
        ConnectorRules.validate(config: config, auth: auth, type: type, &errors)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        let workspace: JSON = [
            "id": .string(caller.tenantID.uuidString.lowercased()), "slug": .string(caller.tenant.slug),
            "name": .string(caller.tenant.name),
        ]
        return await environment.outbound.executor.run(
            config: .object(Self.singleAttempt(config)), auth: .object(auth), input: trial.input,
            contact: trial.contact, workspace: workspace)
    }

    /// The version the trial is checked against, its config and its credentials: a new connector's
    /// with the schema defaults, an installed one's merged with its stored credentials.
    private func trialSubject(_ trial: ConnectorTrial, _ caller: Caller) async throws
        -> (ConnectorType, JSONObject, JSONObject)
    {
        guard let id = trial.connectorID else {
            let (_, type) = try await catalogEntry(trial.catalogKey, caller)
            var typed = JSONObject()
            for (name, change) in trial.auth {
                if case .set(let value) = change { typed[name] = value }
            }
            let (config, auth) = ConnectorRules.newInstall(config: trial.config, auth: typed, type: type)
            return (type, config, auth)
        }
        let stored = try await database.tenant(caller.tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        let type = try await types.version(stored.connector.catalog.versionID, tenantID: caller.tenantID)
        let storedAuth = try await vault.open(stored.sealedAuth, tenantID: caller.tenantID, connectorID: id)
        let auth = AuthFields.merge(storedAuth, trial.auth, shape: type.auth)
        try Self.requireMayRedirect(
            savedAuth: storedAuth, changes: trial.auth, merged: auth, shape: type.auth,
            isRedirected: Self.withDefaults(trial.config, type)
                != Self.withDefaults(stored.connector.config, type),
            caller)
        return (type, trial.config, auth)
    }

    /// Form posts leave defaulted fields out where the stored config has them filled in.
    private static func withDefaults(_ config: JSONObject, _ type: ConnectorType) -> JSONObject {
        SchemaDefaults.applying(type.manifest.configSchemaJSON, to: config)
    }

    /// `config` without retries, at the top level and in every step: a trial waits for one answer.
    static func singleAttempt(_ config: JSONObject) -> JSONObject {
        var result = config
        result["retries"] = 0
        if case .array(let steps)? = config["steps"] {
            result["steps"] = .array(
                steps.map { step in
                    guard case .object(var object) = step else { return step }
                    _ = object.removeValue(forKey: "retries")
                    return .object(object)
                })
        }
        return result
    }
}
