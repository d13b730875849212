import Logging

/// Runs the scheduled health checks that fall due, on every node: claims are exclusive
/// (`HealthCheckClaims`), so nodes share the work instead of repeating it.
public struct HealthCheckScheduler: Sendable {
    public let connectors: ConnectorService
    public let settings: HealthCheckSettings
    let logger: Logger

    public init(connectors: ConnectorService, settings: HealthCheckSettings, logger: Logger) {
        self.connectors = connectors
        self.settings = settings
        self.logger = logger
    }

    /// Looks for due checks every `pollInterval` and runs them, until the task is cancelled. Returns at
    /// once when scheduled checks are turned off on this node.
    public func run() async {
        guard settings.isEnabled else { return }
        while !Task.isCancelled {
            var isBatchFull = false
            do {
                let reports = try await connectors.runDueHealthChecks(settings)
                isBatchFull = reports.count >= settings.batchSize
                for report in reports where report.changedToError {
                    logger.notice(
                        "a connector failed its health checks and is now in error",
                        metadata: ["connector": "\(report.connectorID)", "tenant": "\(report.tenantID)"])
                }
            } catch {
                logger.error("could not run health checks: \(error)")
            }
            if !isBatchFull { try? await Task.sleep(for: settings.pollInterval) }
        }
    }
}
