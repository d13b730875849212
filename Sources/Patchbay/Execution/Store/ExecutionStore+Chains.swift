import Foundation
import JSON
import Logging

extension ExecutionStore {
    /// Records each connector a chain runs as a synchronous execution of `connectorIDs[position]`,
    /// so every link shows in its connector's History. `input` builds what is stored for a link from
    /// its position and the contact it will see; like every input given to this store, it must hold
    /// no secret. An outcome that cannot be written is logged (the chain itself goes on).
    public func chainRecorder(
        connectorIDs: [UUID], createdBy: ExecutionCreator, logger: Logger,
        input: @escaping @Sendable (_ position: Int, _ contact: JSONObject) -> JSON
    ) -> ChainRecorder {
        ChainRecorder(
            willRun: { position, _, contact in
                guard connectorIDs.indices.contains(position) else {
                    throw AppError(.internal, "the chain has no connector at position \(position + 1)")
                }
                return try await start(
                    connectorID: connectorIDs[position], input: input(position, contact), createdBy: createdBy
                )
            },
            didRun: { executionID, outcome in
                guard let executionID else { return }
                do {
                    try await finish(executionID, outcome: outcome)
                } catch {
                    logger.error(
                        "could not record the outcome of a chained execution: \(error)",
                        metadata: ["execution": "\(executionID)"])
                }
            })
    }
}
