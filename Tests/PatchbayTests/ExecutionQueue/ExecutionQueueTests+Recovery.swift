import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

/// A node that dies is simulated in process: its run blocks (ignoring cancellation) and the worker
/// is stopped without the run finishing, so nothing renews the lease and nothing is written, as when
/// the process is killed. Each node is a worker on a pool of its own.
extension ExecutionQueueTests {
    /// Starts a worker whose runs hang at `gate`, waits for it to claim one, and stops it: a node that
    /// died holding the run. What it writes once the gate opens is what a node that comes back late
    /// would write.
    func dyingNode(_ nodeID: String, gate: Gate, arrivals: Int) async throws -> ExecutionWorker {
        let worker = try await startWorker(nodeID, concurrency: 1) { execution in
            await gate.wait()
            return Self.completed(by: nodeID, execution)
        }
        try await eventually("\(nodeID) claimed the run") { gate.arrivals == arrivals }
        await worker.stop(gracePeriod: .milliseconds(20))
        return worker
    }

    func testARunWhoseNodeDiedIsFinishedByAnotherNodeAfterTheLeaseExpires() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let id = try await store(tenant).enqueue(connectorID: connector, input: ["n": 1], createdBy: someone)
        let gate = Gate()
        defer { gate.open() }
        let dead = try await dyingNode("node-a", gate: gate, arrivals: 1)
        let died = ContinuousClock.now
        let claimed = try await record(id, of: tenant)
        XCTAssertEqual(claimed.summary.leaseOwner, "node-a")

        let counter = RunCounter()
        let survivor = try await startWorker("node-b") { execution in
            counter.record(execution.id)
            XCTAssertTrue(execution.isRetry)
            return Self.completed(by: "node-b", execution)
        }
        try await eventually("node-b completed the run", timeout: .seconds(10)) {
            try await store(tenant).get(id)?.status == .completed
        }
        let recoveredAfter = ContinuousClock.now - died
        let record = try await record(id, of: tenant)
        XCTAssertEqual(record.summary.claims, 2)
        XCTAssertEqual(record.summary.leaseOwner, "node-b")
        XCTAssertEqual(record.output?["mapped"]?["node"], "node-b")
        XCTAssertEqual(counter.counts, [id: 1])
        XCTAssertEqual(survivor.statistics.recorded, 1)
        print(
            "ExecutionQueue: a dead node's run (lease 300 ms) was finished elsewhere \(recoveredAfter) later")

        // The dead node comes back and tries to record its result: the claim is no longer its own.
        gate.open()
        try await eventually("node-a's late write was refused") { dead.statistics.rejected == 1 }
        let after = try await store(tenant).get(id)
        XCTAssertEqual(after?.output?["mapped"]?["node"], "node-b")
        XCTAssertEqual(dead.statistics.recorded, 0)
    }

    func testARunWhoseNodesDiedTwiceIsFailedInsteadOfRunAThirdTime() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let id = try await store(tenant).enqueue(connectorID: connector, input: [:], createdBy: someone)
        let gate = Gate()
        defer { gate.open() }
        let first = try await dyingNode("node-a", gate: gate, arrivals: 1)
        let second = try await dyingNode("node-b", gate: gate, arrivals: 2)
        let claimedTwice = try await record(id, of: tenant)
        XCTAssertEqual(claimedTwice.summary.claims, 2)

        let counter = RunCounter()
        let third = try await startWorker("node-c") { execution in
            counter.record(execution.id)
            return Self.completed(by: "node-c", execution)
        }
        try await eventually("the run was given up", timeout: .seconds(10)) {
            try await store(tenant).get(id)?.status == .failed
        }
        let record = try await record(id, of: tenant)
        XCTAssertEqual(record.summary.errorKind, "node_lost")
        XCTAssertTrue(
            record.summary.error?.contains("the node running it stopped twice") == true,
            "\(record.summary.error ?? "")")
        XCTAssertEqual(record.summary.claims, 2, "not claimed a third time")
        XCTAssertNotNil(record.summary.finishedAt)
        XCTAssertEqual(counter.counts, [:], "not run a third time")
        XCTAssertEqual(third.statistics.givenUp, 1)

        gate.open()
        try await eventually("both late writes were refused") {
            first.statistics.rejected == 1 && second.statistics.rejected == 1
        }
        let final = try await self.record(id, of: tenant)
        XCTAssertEqual(final.status, .failed)
    }

    func testTheHeartbeatKeepsALongRunFromBeingTakenOver() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let id = try await store(tenant).enqueue(connectorID: connector, input: [:], createdBy: someone)
        let counter = RunCounter()
        let gate = Gate()
        defer { gate.open() }
        _ = try await startWorker("node-a", concurrency: 1) { execution in
            counter.record(execution.id)
            await gate.wait()
            // Four times the 300 ms lease.
            try? await Task.sleep(for: .milliseconds(1200))
            return Self.completed(by: "node-a", execution)
        }
        try await eventually("node-a started the run") { gate.arrivals == 1 }
        gate.open()
        _ = try await startWorker("node-b") { execution in
            counter.record(execution.id)
            return Self.completed(by: "node-b", execution)
        }
        try await eventually("the run completed", timeout: .seconds(10)) {
            try await store(tenant).get(id)?.status == .completed
        }
        let record = try await store(tenant).get(id)
        XCTAssertEqual(record?.summary.claims, 1)
        XCTAssertEqual(record?.summary.leaseOwner, "node-a")
        XCTAssertEqual(counter.counts, [id: 1])
    }

    func testASyncRunWhoseNodeDiedIsFailedOnceItsLeaseRunsOut() async throws {
        let (tenant, connector) = try await tenantWithConnector("alpha")
        let executions = store(tenant, syncLease: .milliseconds(200))
        let id = try await executions.start(connectorID: connector, input: [:], createdBy: someone)
        let counter = RunCounter()
        let worker = try await startWorker("node-a") { execution in
            counter.record(execution.id)
            return Self.completed(by: "node-a", execution)
        }
        try await eventually("the abandoned run was failed", timeout: .seconds(10)) {
            try await executions.get(id)?.status == .failed
        }
        let record = try await executions.get(id)
        XCTAssertEqual(record?.summary.errorKind, "node_lost")
        XCTAssertEqual(record?.summary.error, "the node running it stopped before it finished")
        XCTAssertEqual(counter.counts, [:], "a synchronous run is never run by a worker")
        XCTAssertEqual(worker.statistics.givenUp, 1)
        let late = try await executions.finish(id, outcome: ExecutionOutcome(status: .completed))
        XCTAssertFalse(late)
    }
}
