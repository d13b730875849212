import Foundation
import JSON
import Postgres

/// What one scheduled health check found.
public struct HealthCheckReport: Sendable {
    public var connectorID: UUID
    public var tenantID: UUID
    /// Nil when the check could not run (the connector was deleted meanwhile, the database failed).
    public var result: ConnectionTestResult?
    /// The connector's status after the check.
    public var status: ConnectorStatus?
    /// This check put the connector in `error`.
    public var changedToError: Bool
}

extension ConnectorService {
    /// Turns a connector's scheduled health checks on (every `minutes`, from 1 to 10080) or off (nil).
    /// The first check is due one interval from now; turning checks off forgets the failure count.
    public func setHealthCheck(id: UUID, minutes: Int?, _ identity: Identity?, request: RequestInfo)
        async throws -> Connector
    {
        let caller = try Authorization.tenant(for: .connectorUpdate, identity)
        if let minutes, !HealthCheckState.intervals.contains(minutes) {
            throw AppError.validation(["interval_minutes": ["must be from 1 to 10080 minutes (a week)"]])
        }
        let current = try await read(id, caller)
        if minutes != nil, !current.catalog.capabilities.contains("test") {
            throw AppError.validation(
                [
                    "interval_minutes": [
                        "\(current.catalog.name) connectors have no connection test to schedule"
                    ]
                ])
        }
        defer { listCache.invalidate(caller.tenantID) }
        return try await database.tenant(caller.tenantID) { connection in
            guard
                let old = try await ConnectorStore.find(
                    id, tenantID: caller.tenantID, lock: true, on: connection)?
                    .connector
            else { throw AppError.notFound("The connector") }
            guard old.healthCheck.intervalMinutes != minutes else { return old }
            try await ConnectorTestStore.setHealthCheck(
                minutes: minutes, id: id, tenantID: caller.tenantID, on: connection)
            try await record(
                "connector.health_check_changed", old,
                details: [
                    "name": .string(old.name),
                    "from": old.healthCheck.intervalMinutes.map { .int(Int64($0)) } ?? .null,
                    "to": minutes.map { .int(Int64($0)) } ?? .null,
                ], caller, request, connection)
            try await announceChange(caller.tenantID, on: connection)
            guard let updated = try await ConnectorStore.find(id, tenantID: caller.tenantID, on: connection)
            else { throw AppError.notFound("The connector") }
            return updated.connector
        }
    }

    /// Claims the checks due now across every tenant (system scope) and runs them, at most
    /// `settings.concurrency` at a time, each read and recorded in its own tenant's scope. A claim
    /// moves the connector's next check forward, so a check whose node stops is simply skipped once.
    public func runDueHealthChecks(_ settings: HealthCheckSettings) async throws -> [HealthCheckReport] {
        let claims = try await database.system { connection in
            try await HealthCheckClaims.claimDue(limit: settings.batchSize, on: connection)
        }
        return await withTaskGroup(of: HealthCheckReport.self) { group in
            var pending = claims.makeIterator()
            for _ in 0..<settings.concurrency {
                guard let claim = pending.next() else { break }
                group.addTask { await check(claim, settings) }
            }
            var reports: [HealthCheckReport] = []
            for await report in group {
                reports.append(report)
                if let claim = pending.next() { group.addTask { await check(claim, settings) } }
            }
            return reports
        }
    }

    private func check(_ claim: HealthCheckClaims.Claim, _ settings: HealthCheckSettings) async
        -> HealthCheckReport
    {
        var report = HealthCheckReport(
            connectorID: claim.connectorID, tenantID: claim.tenantID, result: nil, status: nil,
            changedToError: false)
        do {
            let target = try await testTarget(claim.connectorID, tenantID: claim.tenantID)
            let result = await environment.outbound.tester.test(
                manifest: target.type.manifest, config: .object(target.connector.config),
                auth: .object(target.auth))
            report.result = result
            report.status = target.connector.status
            guard Self.isRecordable(result) else { return report }
            let after = try await recordTest(
                result, connectorID: claim.connectorID, tenantID: claim.tenantID,
                by: .schedule(failureThreshold: settings.failureThreshold))
            report.status = after?.status
            report.changedToError = target.connector.status != .error && after?.status == .error
        } catch {
            environment.logger.error(
                "a health check could not run: \(error)", metadata: ["connector": "\(claim.connectorID)"])
        }
        return report
    }
}
