import Foundation
import Logging
import Postgres

extension ExecutionWorker {
    /// Claims while there are free slots and work, otherwise waits for a wake-up or the next poll;
    /// ends when stopping, once every run it started is over.
    func claimLoop() async {
        var nextRecovery = ContinuousClock.now
        await withDiscardingTaskGroup { group in
            while !state.withLock({ $0.isStopping }) {
                let free = concurrency - inFlightCount
                var mayHaveMore = false
                if free > 0 {
                    // Leases run out on their own time, not on a notification: look for them each poll.
                    let recover = ContinuousClock.now >= nextRecovery
                    if recover { nextRecovery = .now + pollInterval }
                    do {
                        let claimed = try await claim(limit: free, recover: recover)
                        for execution in claimed {
                            state.withLock { _ = $0.inFlight.insert(execution.key) }
                            group.addTask { await self.execute(execution) }
                        }
                        mayHaveMore = claimed.count == free
                    } catch {
                        logger.error(
                            "could not claim executions: \(error)", metadata: ["node": "\(nodeID)"])
                    }
                }
                if !mayHaveMore { _ = await wake.wait(upTo: pollInterval) }
            }
        }
        finished.signal()
    }

    private func claim(limit: Int, recover: Bool) async throws -> [ClaimedExecution] {
        let (claimed, givenUp) = try await database.system { connection in
            var claimed: [ClaimedExecution] = []
            var givenUp = 0
            if recover {
                givenUp = try await ExecutionClaims.giveUpLost(limit: 100, on: connection)
                claimed = try await ExecutionClaims.reclaimExpired(
                    owner: nodeID, leaseMilliseconds: leaseMilliseconds, limit: limit, on: connection)
            }
            claimed += try await ExecutionClaims.claimPending(
                owner: nodeID, leaseMilliseconds: leaseMilliseconds, limit: limit - claimed.count,
                on: connection)
            return (claimed, givenUp)
        }
        state.withLock { state in
            state.statistics.claimed += claimed.count
            state.statistics.givenUp += givenUp
        }
        for execution in claimed where execution.isRetry {
            logger.notice(
                "retrying an execution whose node stopped",
                metadata: ["node": "\(nodeID)", "execution": "\(execution.id)"])
        }
        return claimed
    }

    /// Runs one claim and records its outcome, or hands it back when the run was cancelled. The
    /// claim stays in flight (its lease renewed) until the write is done.
    private func execute(_ execution: ClaimedExecution) async {
        let outcome = await run(execution)
        // Detached from this task's cancellation: a stop that cancels runs still wants their
        // outcomes written, or their claims handed back.
        let write = Task { await self.write(outcome, for: execution) }
        await write.value
        state.withLock { _ = $0.inFlight.remove(execution.key) }
        wake.signal()
    }

    private func write(_ outcome: ExecutionOutcome, for execution: ClaimedExecution) async {
        let isCancelled = outcome.error?.kind == .cancelled
        var delay = Duration.milliseconds(100)
        for attempt in 1...3 {
            do {
                let held = try await database.tenant(execution.tenantID) { connection in
                    isCancelled
                        ? try await ExecutionClaims.release(execution.key, owner: nodeID, on: connection)
                        : try await ExecutionQueries.finish(
                            execution.id, outcome: outcome, leaseOwner: nodeID, claims: execution.claims,
                            on: connection)
                }
                state.withLock { state in
                    if !held {
                        state.statistics.rejected += 1
                    } else if isCancelled {
                        state.statistics.released += 1
                    } else {
                        state.statistics.recorded += 1
                    }
                }
                if !held {
                    logger.warning(
                        """
                        an execution was taken over by another node after this node's lease ran out; \
                        its result here was discarded
                        """,
                        metadata: ["node": "\(nodeID)", "execution": "\(execution.id)"])
                }
                return
            } catch {
                logger.error(
                    "could not record an execution (attempt \(attempt) of 3): \(error)",
                    metadata: ["node": "\(nodeID)", "execution": "\(execution.id)"])
                try? await Task.sleep(for: delay)
                delay *= 5
            }
        }
    }

    /// Renews the leases of the runs in flight every third of the lease, until cancelled.
    func heartbeatLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: leaseDuration / 3)
            let claims = state.withLock { Array($0.inFlight) }
            guard !Task.isCancelled, !claims.isEmpty else { continue }
            do {
                let held = try await database.system { connection in
                    try await ExecutionClaims.renew(
                        claims, owner: nodeID, leaseMilliseconds: leaseMilliseconds, on: connection)
                }
                if held < claims.count {
                    logger.debug(
                        "\(claims.count - held) of \(claims.count) leases were no longer held (finished or taken over)",
                        metadata: ["node": "\(nodeID)"])
                }
            } catch {
                logger.error("could not renew execution leases: \(error)", metadata: ["node": "\(nodeID)"])
            }
        }
    }
}
