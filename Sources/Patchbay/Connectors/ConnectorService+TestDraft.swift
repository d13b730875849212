import Foundation
import JSON

/// Settings and credentials to test before they are saved (the forms' "Test" button,
/// `POST /api/v1/connectors/test`).
public enum ConnectionTestDraft: Sendable {
    /// A connector not installed yet, taken as an install would take it (schema defaults filled in,
    /// empty credentials left out).
    case install(catalogKey: String, config: JSONObject, auth: JSONObject)
    /// Unsaved changes to an installed connector: credentials not named (or `.keep`) come from the
    /// vault, as a save would keep them. `name` and `tags` are ignored; `upgrade` tests against the
    /// catalog entry's latest version.
    case changes(connectorID: UUID, ConnectorChanges)
}

extension ConnectorService {
    /// Tests a draft without saving anything: no column, no audit event, no status changes. Settings
    /// or credentials the schemas refuse are a 422 with the per-field map, and nothing is sent.
    ///
    /// Sending saved secrets to changed settings (another host, say) needs `connector.update` on top
    /// of `connector.test`: otherwise anyone who may test could point a saved password at a server
    /// of their own.
    public func testDraft(_ draft: ConnectionTestDraft, timeout: Duration? = nil, _ identity: Identity?)
        async throws -> ConnectionTestResult
    {
        let caller = try Authorization.tenant(for: .connectorTest, identity)
        let (type, config, auth) = try await resolve(draft, caller)
        var problems: [String: [String]] = [:]
        ConnectorRules.validate(config: config, auth: auth, type: type, &problems)
        guard problems.isEmpty else {
            throw AppError.validation(problems, message: "Fix the settings before testing them.")
        }
        return await environment.outbound.tester.test(
            manifest: type.manifest, config: .object(config), auth: .object(auth), timeout: timeout)
    }

    private func resolve(_ draft: ConnectionTestDraft, _ caller: Caller) async throws
        -> (ConnectorType, JSONObject, JSONObject)
    {
        switch draft {
        case .install(let key, let config, let auth):
            let (_, type) = try await catalogEntry(key, caller)
            let (settings, credentials) = ConnectorRules.newInstall(config: config, auth: auth, type: type)
            return (type, settings, credentials)
        case .changes(let id, let changes):
            let target = try await testTarget(id, tenantID: caller.tenantID)
            let type =
                changes.upgrade
                ? try await types.latest(key: target.connector.catalog.key, tenantID: caller.tenantID).1
                : target.type
            let config = Self.config(target.connector.config, changes.config)
            let auth = AuthFields.merge(target.auth, changes.auth, shape: type.auth)
            let isRedirected = config != target.connector.config || type.versionID != target.type.versionID
            try Self.requireMayRedirect(
                savedAuth: target.auth, changes: changes.auth, merged: auth, shape: type.auth,
                isRedirected: isRedirected, caller)
            return (type, config, auth)
        }
    }

    /// Sending saved credentials to settings other than the saved ones needs `connector.update`: they
    /// would go wherever the new settings point (a developer could otherwise aim a saved password at
    /// a server of their own).
    static func requireMayRedirect(
        savedAuth: JSONObject, changes: [String: AuthFieldChange], merged: JSONObject, shape: AuthShape,
        isRedirected: Bool, _ caller: Caller
    ) throws {
        let usesSavedSecret = merged.keys.contains { key in
            guard shape.isSecret(key), savedAuth[key] != nil else { return false }
            if case .set = changes[key] { return false }
            return true
        }
        if usesSavedSecret, isRedirected, caller.identity.can(.connectorUpdate) == false {
            throw AppError(
                .forbidden,
                "Testing changed settings with the saved credentials needs the admin role: they would "
                    + "be sent wherever the new settings point. Type the credentials in, or test the "
                    + "saved settings.")
        }
    }
}
