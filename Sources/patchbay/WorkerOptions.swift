import ArgumentParser
import Foundation
import Patchbay

/// How this node takes part in the execution queue, from flags, then environment variables, then
/// defaults. Shared by `serve` (which runs a worker unless `--no-worker`) and `worker`.
struct WorkerOptions: ParsableArguments {
    @Option(
        help: """
            Names this node in the queue's leases; must differ between nodes \
            (env: PATCHBAY_NODE_ID; default <host>:<pid>).
            """)
    var nodeID: String?

    @Option(
        help: "Queued executions this node runs at once (env: PATCHBAY_EXECUTION_CONCURRENCY; default 4).")
    var executionConcurrency: Int?

    @Option(
        help: """
            Seconds a claimed execution's lease holds without renewal: a node that stops is noticed \
            this long after, and its runs are retried once elsewhere \
            (env: PATCHBAY_EXECUTION_LEASE_SECONDS; default 30).
            """)
    var executionLeaseSeconds: Double?

    /// A started worker running `executions`' queue.
    func startWorker(_ executions: ExecutionService, _ env: [String: String]) async throws -> ExecutionWorker
    {
        let concurrency = try ServeLimits.value(
            executionConcurrency, env, "PATCHBAY_EXECUTION_CONCURRENCY", default: 4, minimum: 1)
        let leaseSeconds = try ServeLimits.value(
            executionLeaseSeconds, env, "PATCHBAY_EXECUTION_LEASE_SECONDS", default: 30, minimum: 0.3)
        let lease = Duration.milliseconds(Int64((leaseSeconds * 1000).rounded()))
        // Expired leases are looked for on each poll: poll often enough for short leases too.
        let poll = min(.seconds(2), lease / 2)
        let worker = executions.makeWorker(
            nodeID: resolvedNodeID(env), concurrency: concurrency, leaseDuration: lease, pollInterval: poll)
        try await worker.start()
        return worker
    }

    func resolvedNodeID(_ env: [String: String]) -> String {
        if let nodeID, !nodeID.isEmpty { return nodeID }
        if let name = env["PATCHBAY_NODE_ID"], !name.isEmpty { return name }
        return "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
