import Foundation
import JSON

/// A connector loaded to run: its row and its credentials, opened from the vault. The credentials
/// stay in memory for the run only; everything kept afterwards is scrubbed of them.
struct RunnableConnector: Sendable {
    /// The catalog type Patchbay can run today.
    static let executableKey = "custom-http"

    var connector: Connector
    var auth: JSONObject

    var id: UUID { connector.id }

    /// The connector `id` of `tenantID` with its opened credentials; 404 when the tenant has none such.
    static func load(_ id: UUID, tenantID: UUID, environment: AppEnvironment) async throws
        -> RunnableConnector
    {
        let stored = try await environment.database.tenant(tenantID, readOnly: true) { connection in
            try await ConnectorStore.find(id, tenantID: tenantID, on: connection)
        }
        guard let stored else { throw AppError.notFound("The connector") }
        let auth = try await AuthVault(keys: environment.tenantKeys).open(
            stored.sealedAuth, tenantID: tenantID, connectorID: id)
        return RunnableConnector(connector: stored.connector, auth: auth)
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
