import Foundation
import JSON

/// A connector loaded to run: its row and its credentials, opened from the vault. The credentials
/// stay in memory for the run only; everything kept afterwards is scrubbed of them.
struct RunnableConnector: Sendable {
    /// The catalog type Patchbay can run today.
    static let executableKey = "custom-http"

    var connector: Connector
    var auth: JSONObject
    /// The row's version when it was read (see `ConnectorStore.findVersioned`).
    var version: String
    /// The config compiled; nil when it does not compile (running it then reports why).
    var plan: ExecutionPlan?

    var id: UUID { connector.id }

    /// The connector `id` of `tenantID` with its opened credentials, read in one round trip; 404 when
    /// the tenant has none such. A connector that can run is remembered for `cached`.
    static func load(_ id: UUID, tenantID: UUID, environment: AppEnvironment) async throws
        -> RunnableConnector
    {
        let key = cacheKey(id, tenantID)
        let rows = try await environment.database.tenantPipeline(
            tenantID, readOnly: true, [ConnectorStore.findVersioned(id, tenantID: tenantID)])
        guard let row = rows[0].first else {
            environment.runnableConnectors.remove(key)
            throw AppError.notFound("The connector")
        }
        let sealed = SealedConnector(
            stored: try ConnectorStore.stored(row), version: try row.decode("row_xmin"))
        if ExecutionService.refusal(for: sealed.stored.connector) == nil {
            environment.runnableConnectors.store(key, sealed)
        } else {
            environment.runnableConnectors.remove(key)
        }
        return try await sealed.opened(tenantID: tenantID, keys: environment.tenantKeys)
    }

    /// The connector as this node last loaded it, when it could run then; nil when not remembered.
    /// It may have changed since: record its run with `connectorVersion: version`, which refuses a
    /// stale one (`ExecutionStore.ConnectorChanged`), before relying on it.
    static func cached(_ id: UUID, tenantID: UUID, environment: AppEnvironment) async throws
        -> RunnableConnector?
    {
        guard let sealed = environment.runnableConnectors.lookup(cacheKey(id, tenantID)) else { return nil }
        return try await sealed.opened(tenantID: tenantID, keys: environment.tenantKeys)
    }

    /// Forgets what `cached` would return for connector `id`.
    static func forget(_ id: UUID, tenantID: UUID, environment: AppEnvironment) {
        environment.runnableConnectors.remove(cacheKey(id, tenantID))
    }

    private static func cacheKey(_ id: UUID, _ tenantID: UUID) -> String {
        "\(tenantID.uuidString)/\(id.uuidString)"
    }

    /// Why this connector cannot run now, if it cannot.
    var refusal: AppError? { ExecutionService.refusal(for: connector) }

    /// Throws `refusal`, if any.
    func checkRunnable() throws {
        if let refusal { throw refusal }
    }

    /// Removes this connector's credential values from `value` (wherever a caller may have pasted
    /// one into its input), so that what is stored for a run holds none.
    func scrubbed(_ value: JSON) -> JSON {
        Self.scrub(value, with: CustomHTTPExecutor.redactor(for: .object(auth)))
    }

    static func scrub(_ value: JSON, with redactor: RequestRedactor) -> JSON {
        guard !redactor.secrets.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(redactor.scrub(text))
        case .array(let items): return .array(items.map { scrub($0, with: redactor) })
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, scrub($0.value, with: redactor)) }))
        default: return value
        }
    }
}

/// A connector row as the node's cache keeps it: credentials still sealed, with the row's version
/// and the config compiled once.
struct SealedConnector: Sendable {
    let stored: StoredConnector
    let version: String
    let plan: ExecutionPlan?

    init(stored: StoredConnector, version: String) {
        self.stored = stored
        self.version = version
        plan = try? ExecutionPlan(config: .object(stored.connector.config))
    }

    func opened(tenantID: UUID, keys: TenantKeys) async throws -> RunnableConnector {
        let auth = try await AuthVault(keys: keys).open(
            stored.sealedAuth, tenantID: tenantID, connectorID: stored.connector.id)
        return RunnableConnector(connector: stored.connector, auth: auth, version: version, plan: plan)
    }
}

extension ExecutionService {
    /// Why `connector` cannot run now, as the error an execute call gets: 501 for catalog types whose
    /// actions Patchbay does not run yet, 422 for types that have none, 409 unless it is active.
    /// Nil when it can run (pages show the Run form then).
    public static func refusal(for connector: Connector) -> AppError? {
        let name = "“\(connector.name)”"
        guard connector.catalog.key == RunnableConnector.executableKey else {
            if connector.catalog.capabilities.contains("execute") {
                return AppError(
                    .notImplemented,
                    "\(name) is a \(connector.catalog.name) connector; running those is not supported yet. "
                        + "Only custom HTTP connectors can be executed.")
            }
            return AppError(
                .validation, "\(name) is a \(connector.catalog.name) connector, which has nothing to execute."
            )
        }
        guard connector.status == .active else {
            let state = connector.status == .error ? "in error" : "inactive"
            return AppError(.conflict, "\(name) is \(state); activate it before running it.")
        }
        return nil
    }
}

extension ExecutionFailure.Kind {
    /// Failures that say the connector itself is broken, whatever a run is given, and so put it in
    /// `error`: only a config that does not compile. Everything else (a server that said no, a
    /// timeout, a variable the input lacked, an address refused for a templated URL) depends on the
    /// run or the moment, and a caller must not be able to take a connector offline with one bad
    /// input; those failures are kept in the connector's History only.
    var marksConnectorFailed: Bool { self == .invalidConfig }
}
