import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

extension ExecutionQueueTests {
    func testTwoNodesDrainFiveHundredQueuedExecutionsRunningEachExactlyOnce() async throws {
        let (alpha, alphaConnector) = try await tenantWithConnector("alpha")
        let (bravo, bravoConnector) = try await tenantWithConnector("bravo")
        let enqueueStart = ContinuousClock.now
        for n in 0..<500 {
            let (tenant, connector) = n.isMultiple(of: 2) ? (alpha, alphaConnector) : (bravo, bravoConnector)
            _ = try await store(tenant).enqueue(
                connectorID: connector, input: ["n": .int(Int64(n))], createdBy: someone)
        }
        let enqueued = ContinuousClock.now - enqueueStart

        let counter = RunCounter()
        let drainStart = ContinuousClock.now
        var workers: [ExecutionWorker] = []
        for node in ["node-a", "node-b"] {
            workers.append(
                try await startWorker(node, concurrency: 8, lease: .seconds(10), poolSize: 4) { execution in
                    counter.record(execution.id, on: node)
                    await Task.yield()
                    counter.leave(node)
                    return Self.completed(by: node, execution)
                })
        }
        try await eventually("every execution completed", timeout: .seconds(60)) {
            try await count("status = 'completed'") == 500
        }
        let drained = ContinuousClock.now - drainStart
        for worker in workers { await worker.stop() }

        XCTAssertEqual(counter.counts.count, 500, "none lost")
        XCTAssertEqual(counter.counts.values.filter { $0 != 1 }.count, 0, "none run twice")
        let completedOnFirstClaim = try await count(
            "claims = 1 AND status = 'completed' AND finished_at IS NOT NULL")
        XCTAssertEqual(completedOnFirstClaim, 500)
        let recordedByClaimer = try await count("output->'mapped'->>'node' = lease_owner")
        XCTAssertEqual(
            recordedByClaimer, 500,
            "each row holds the outcome of the node that claimed it")
        let statistics = workers.map(\.statistics)
        XCTAssertEqual(statistics.map(\.recorded).reduce(0, +), 500)
        XCTAssertEqual(statistics.map(\.rejected).reduce(0, +), 0)
        for node in ["node-a", "node-b"] {
            XCTAssertLessThanOrEqual(counter.peak(node), 8, "\(node) ran at most `concurrency` at once")
            let share = try await count("lease_owner = $1", [node])
            XCTAssertGreaterThan(share, 0, "\(node) took part")
            print("ExecutionQueue: \(node) ran \(share) of 500")
        }
        print(
            "ExecutionQueue: enqueued 500 in \(enqueued) (\(Self.rate(500, enqueued))/s); "
                + "two nodes drained them in \(drained) (\(Self.rate(500, drained))/s)")
    }

    func testANotificationWakesAnIdleWorkerLongBeforeItsNextPoll() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        _ = try await startWorker("node-a", poll: .seconds(30)) { Self.completed(by: "node-a", $0) }
        // Let the worker's first look find nothing and go to sleep until the next poll.
        try await Task.sleep(for: .milliseconds(300))
        let queued = ContinuousClock.now
        let id = try await store(tenant).enqueue(connectorID: connector, input: [:], createdBy: someone)
        try await eventually("the run completed", timeout: .seconds(5)) {
            try await store(tenant).get(id)?.status == .completed
        }
        let latency = ContinuousClock.now - queued
        XCTAssertLessThan(latency, .seconds(5))
        print("ExecutionQueue: enqueue to completed on an idle worker: \(latency)")
    }

    func testStoppingLetsRunsInFlightFinishAndClaimsNothingMore() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        for n in 0..<4 {
            _ = try await store(tenant).enqueue(
                connectorID: connector, input: ["n": .int(Int64(n))], createdBy: someone)
        }
        let gate = Gate()
        let worker = try await startWorker("node-a", concurrency: 2, lease: .seconds(5)) { execution in
            _ = await gate.wait()
            try? await Task.sleep(for: .milliseconds(200))
            return Self.completed(by: "node-a", execution)
        }
        try await eventually("two runs in flight") { gate.arrivals == 2 }
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(gate.arrivals, 2, "no more than `concurrency` runs at once")
        gate.open()
        await worker.stop(gracePeriod: .seconds(5))

        let completed = try await count("status = 'completed'")
        XCTAssertEqual(completed, 2, "the runs in flight finished")
        let pending = try await count("status = 'pending'")
        XCTAssertEqual(pending, 2, "nothing more was claimed")
        XCTAssertEqual(worker.statistics.recorded, 2)
        XCTAssertEqual(worker.inFlightCount, 0)
    }

    func testARunCancelledAtStopIsHandedBackAndFinishedByAnotherNode() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let id = try await store(tenant).enqueue(connectorID: connector, input: [:], createdBy: someone)
        let gate = Gate()
        let first = try await startWorker("node-a", lease: .seconds(30)) { execution in
            _ = await gate.wait()
            do {
                try await Task.sleep(for: .seconds(30))
                return Self.completed(by: "node-a", execution)
            } catch {
                return ExecutionOutcome(
                    status: .failed, error: ExecutionFailure(.cancelled, "the run was cancelled"))
            }
        }
        try await eventually("the run started") { gate.arrivals == 1 }
        gate.open()
        let stopping = ContinuousClock.now
        await first.stop(gracePeriod: .milliseconds(100))
        XCTAssertLessThan(ContinuousClock.now - stopping, .seconds(2))
        XCTAssertEqual(first.statistics.released, 1)

        // The lease was 30 s, but the run was handed back: the next node takes it at once.
        _ = try await startWorker("node-b", lease: .seconds(30)) { Self.completed(by: "node-b", $0) }
        try await eventually("node-b completed it", timeout: .seconds(5)) {
            try await store(tenant).get(id)?.status == .completed
        }
        let record = try await store(tenant).get(id)
        XCTAssertEqual(record?.summary.claims, 2)
        XCTAssertEqual(record?.summary.leaseOwner, "node-b")
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return Int((Double(count) / seconds).rounded())
    }
}
