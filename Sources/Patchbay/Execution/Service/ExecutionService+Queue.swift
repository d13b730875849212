import Foundation
import JSON
import Logging

extension ExecutionService {
    /// A worker that runs this service's queued executions (`runQueued`). Start it with `start()`
    /// and stop it with `stop(gracePeriod:)` before the pool closes.
    public func makeWorker(
        nodeID: String, concurrency: Int = 4, leaseDuration: Duration = .seconds(30),
        pollInterval: Duration = .seconds(2)
    ) -> ExecutionWorker {
        ExecutionWorker(
            database: environment.database, nodeID: nodeID, concurrency: concurrency,
            leaseDuration: leaseDuration, pollInterval: pollInterval,
            logger: Logger(label: "patchbay.executions")
        ) { execution in
            await runQueued(execution)
        }
    }

    /// Runs one claimed execution: loads its connector in the execution's tenant, opens the
    /// credentials and runs it with the stored input. The role was checked when the run was queued;
    /// the connector is checked again, as it may have been deactivated since (`not_runnable`).
    /// A failure to load it (the database went away) hands the run back to the queue.
    public func runQueued(_ execution: ClaimedExecution) async -> ExecutionOutcome {
        let runnable: RunnableConnector
        do {
            runnable = try await RunnableConnector.load(
                execution.connectorID, tenantID: execution.tenantID, environment: environment)
        } catch let error as AppError where error.kind == .notFound {
            return .failed(ExecutionFailure(.notRunnable, "the connector was deleted"))
        } catch {
            logger.error(
                "could not load the connector of a queued execution; handing it back: \(error)",
                metadata: ["execution": "\(execution.id)"])
            return .failed(ExecutionFailure(.cancelled, "the connector could not be loaded"))
        }
        if let refusal = runnable.refusal {
            return .failed(ExecutionFailure(.notRunnable, refusal.message))
        }
        let outcome = await run(runnable, ExecutionRequest(stored: execution.input))
        let actor = AuditActor(userID: execution.createdBy.userID, label: execution.createdBy.name)
        let request = RequestInfo(
            requestID: "execution-\(execution.id.uuidString.lowercased())", ip: "",
            userAgent: "patchbay worker")
        await markIfBroken(runnable, outcome, actor: actor, request: request)
        return outcome
    }
}
