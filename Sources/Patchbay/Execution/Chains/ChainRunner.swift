import FoundationEssentials
import JSON

/// Runs several custom HTTP connectors in order (enrich → verify email → validate address), each
/// seeing the contact as the earlier ones left it: a connector's mapped fields are merged into the
/// contact before the next one runs. The chain stops at the first connector that fails.
public struct ChainRunner: Sendable {
    public let executor: CustomHTTPExecutor

    public init(executor: CustomHTTPExecutor) { self.executor = executor }

    /// Runs `connectors` with the same `workspace` and `input`; `contact` should be an object (anything
    /// else starts as `{}`). `recorder` is told about each run before and after it.
    public func run(
        connectors: [ChainLink], contact: JSON, workspace: JSON, input: JSON, recorder: ChainRecorder = .none
    ) async -> ChainOutcome {
        let started = executor.clock.now()
        var current = contact.object ?? JSONObject()
        var steps: [ChainOutcome.Step] = []
        for (position, link) in connectors.enumerated() {
            let executionID: UUID?
            do {
                executionID = try await recorder.willRun(position, link, current)
            } catch {
                let failure = ExecutionFailure(
                    .recording, "the run of '\(link.name)' could not be recorded: \(error)", step: link.name)
                return finish(
                    steps, contact: current, failure: failure, skipped: connectors[position...],
                    started: started)
            }
            let outcome = await executor.run(
                config: link.config, auth: link.auth, input: input, contact: .object(current),
                workspace: workspace)
            await recorder.didRun(executionID, outcome)
            steps.append(ChainOutcome.Step(name: link.name, executionID: executionID, outcome: outcome))
            guard outcome.status == .completed else {
                let reason = outcome.error?.message ?? "it failed"
                let failure = ExecutionFailure(
                    outcome.error?.kind ?? .network, "connector '\(link.name)' failed: \(reason)",
                    step: link.name)
                return finish(
                    steps, contact: current, failure: failure, skipped: connectors[(position + 1)...],
                    started: started)
            }
            current.mergeDeeply(outcome.mapped)
        }
        return finish(steps, contact: current, failure: nil, skipped: [], started: started)
    }

    private func finish(
        _ steps: [ChainOutcome.Step], contact: JSONObject, failure: ExecutionFailure?,
        skipped: ArraySlice<ChainLink>, started: ContinuousClock.Instant
    ) -> ChainOutcome {
        ChainOutcome(
            status: failure == nil ? .completed : .failed, contact: contact, steps: steps,
            skipped: skipped.map(\.name), error: failure, durationMs: executor.milliseconds(since: started))
    }
}
