import Foundation
import JSON
import Postgres

extension ConnectorService {
    /// Who ran a test, which decides what a failure does.
    enum TestRunner {
        /// Someone pressed "Test" (or called the API): every test is audited, a failure means error.
        case person(AuditActor, RequestInfo)
        /// A scheduled health check: `failureThreshold` failures in a row mean error.
        case schedule(failureThreshold: Int)

        var isScheduled: Bool {
            if case .schedule = self { return true }
            return false
        }
    }

    /// The actor of status changes made by scheduled checks.
    static let healthCheckActor = AuditActor(userID: nil, label: "health check")
    static let healthCheckRequest = RequestInfo(requestID: "health-check", ip: "", userAgent: "patchbay")

    /// Stores a test's result, and the status change it calls for, in one transaction; tells other
    /// nodes' list caches. Returns the connector afterwards, or nil if it was deleted meanwhile.
    func recordTest(
        _ result: ConnectionTestResult, connectorID id: UUID, tenantID: UUID, by runner: TestRunner
    )
        async throws -> Connector?
    {
        defer { listCache.invalidate(tenantID) }
        return try await database.tenant(tenantID) { connection -> Connector? in
            guard
                let stored = try await ConnectorStore.find(id, tenantID: tenantID, lock: true, on: connection)
            else { return nil }
            let connector = stored.connector
            let failures = try await ConnectorTestStore.save(
                result, id: id, tenantID: tenantID, scheduled: runner.isScheduled, on: connection)
            switch runner {
            case .person(let actor, let request):
                try await AuditLog.record(
                    AuditEntry(
                        tenantID: tenantID, actor: actor, action: "connector.tested", targetType: "connector",
                        targetID: id.uuidString.lowercased(), details: Self.auditDetails(result, connector)),
                    request: request, on: connection)
                if !result.success {
                    _ = try await markError(
                        connector, message: result.message, actor: actor, request: request, on: connection)
                    try await ConnectorTestStore.resetFailures(id: id, tenantID: tenantID, on: connection)
                }
            case .schedule(let threshold):
                if !result.success, failures >= threshold, connector.status == .active {
                    _ = try await markError(
                        connector, message: Self.healthCheckMessage(failures, result),
                        actor: Self.healthCheckActor,
                        request: Self.healthCheckRequest, on: connection)
                    try await ConnectorTestStore.resetFailures(id: id, tenantID: tenantID, on: connection)
                }
            }
            try await announceChange(tenantID, on: connection)
            return try await ConnectorStore.find(id, tenantID: tenantID, on: connection)?.connector
        }
    }

    /// "3 scheduled health checks failed in a row; the last: Connection refused by ..."
    static func healthCheckMessage(_ failures: Int, _ result: ConnectionTestResult) -> String {
        "\(failures) scheduled health checks failed in a row; the last: \(result.message)"
    }

    static func auditDetails(_ result: ConnectionTestResult, _ connector: Connector) -> JSONObject {
        var details: JSONObject = [
            "name": .string(connector.name), "success": .bool(result.success),
            "latency_ms": .int(Int64(result.latencyMs)),
        ]
        if let kind = result.errorKind { details["error_kind"] = .string(kind.rawValue) }
        if !result.success { details["message"] = .string(result.message) }
        return details
    }
}
