import Foundation
import JSON
import Logging

/// Running a tenant's connectors and reading what their runs came to: the one service under the
/// execute, executions and chains API, the History panel and the queue workers.
///
/// Every method checks the caller's role first (`connector.execute` to run, `executions.read` to
/// read) and works in the caller's tenant scope: another tenant's connector or execution is a 404.
/// Only active custom HTTP connectors run (`RunnableConnector.refusal`). Each run is recorded in
/// `connector_executions` — synchronous runs go executing → completed | failed in the request,
/// queued ones pending → executing → completed | failed on a worker — with its input scrubbed of
/// the connector's credentials and its outcome already free of them.
///
/// A failed run leaves the connector's status alone unless its config does not compile
/// (`invalid_config`): then the connector is put in `error` with the message, as a failed
/// connection test does, and stays out of use until it is fixed and activated again.
public struct ExecutionService: Sendable {
    let environment: AppEnvironment
    let connectors: ConnectorService
    public let executor: CustomHTTPExecutor

    /// Runs with `executor`, by default the environment's (its outbound address policy applies).
    public init(connectors: ConnectorService, executor: CustomHTTPExecutor? = nil) {
        self.connectors = connectors
        self.environment = connectors.environment
        self.executor = executor ?? connectors.environment.outbound.executor
    }

    var logger: Logger { environment.logger }

    func store(_ tenantID: UUID) -> ExecutionStore {
        ExecutionStore(database: environment.database, tenantID: tenantID)
    }

    /// Runs connector `connectorID` with `values`: in this call (`sync`, returning the outcome) or
    /// queued for a worker (`async`, returning the pending execution's id).
    public func execute(
        connectorID: UUID, _ values: ExecutionRequest, mode: ExecutionMode = .sync, _ identity: Identity?,
        request: RequestInfo
    ) async throws -> ExecutionResult {
        let caller = try Authorization.tenant(for: .connectorExecute, identity)
        let tenantID = caller.tenantID
        // The connector as last loaded saves a round trip; recording the run checks it is unchanged.
        if let cached = try await RunnableConnector.cached(
            connectorID, tenantID: tenantID, environment: environment)
        {
            do {
                return try await start(
                    cached, values, mode: mode, replayOf: nil, caller, request,
                    connectorVersion: cached.version)
            } catch is ExecutionStore.ConnectorChanged {
                RunnableConnector.forget(connectorID, tenantID: tenantID, environment: environment)
            }
        }
        let runnable = try await RunnableConnector.load(
            connectorID, tenantID: tenantID, environment: environment)
        try runnable.checkRunnable()
        return try await start(runnable, values, mode: mode, replayOf: nil, caller, request)
    }

    /// Runs execution `id` again with the input stored with it, as a new execution that names the
    /// old one (`replay_of`).
    public func replay(id: UUID, mode: ExecutionMode = .sync, _ identity: Identity?, request: RequestInfo)
        async throws -> ExecutionResult
    {
        let caller = try Authorization.tenant(for: .connectorExecute, identity)
        let replay = try await store(caller.tenantID).replay(id)
        let runnable = try await RunnableConnector.load(
            replay.connectorID, tenantID: caller.tenantID, environment: environment)
        try runnable.checkRunnable()
        return try await start(
            runnable, ExecutionRequest(stored: replay.input), mode: mode, replayOf: id, caller, request)
    }

    /// Execution `id` with its input, request and output; 404 when the tenant has none such.
    public func get(id: UUID, _ identity: Identity?) async throws -> ExecutionRecord {
        let caller = try Authorization.tenant(for: .executionsRead, identity)
        guard let record = try await store(caller.tenantID).get(id) else {
            throw AppError.notFound("The execution")
        }
        return record
    }

    /// A page of the connector's executions, newest first; 404 when the tenant has no such connector.
    public func list(
        connectorID: UUID, limit: Int = 25, before: ExecutionCursor? = nil, _ identity: Identity?
    ) async throws -> ExecutionPage {
        let caller = try Authorization.tenant(for: .executionsRead, identity)
        let store = store(caller.tenantID)
        let page = try await store.list(connectorID: connectorID, limit: limit, before: before)
        try await Self.requireConnector(connectorID, in: store, pageIsEmpty: page.executions.isEmpty)
        return page
    }

    /// Like `list`, with each execution's input, request and output (the History panel shows them).
    public func history(
        connectorID: UUID, limit: Int = 10, before: ExecutionCursor? = nil, _ identity: Identity?
    ) async throws -> ExecutionRecordPage {
        let caller = try Authorization.tenant(for: .executionsRead, identity)
        let store = store(caller.tenantID)
        let page = try await store.records(connectorID: connectorID, limit: limit, before: before)
        try await Self.requireConnector(connectorID, in: store, pageIsEmpty: page.records.isEmpty)
        return page
    }

    /// 404 for a connector the tenant does not have. Only an empty page needs asking: it must tell
    /// "no runs" from "no such connector".
    private static func requireConnector(_ id: UUID, in store: ExecutionStore, pageIsEmpty: Bool)
        async throws
    {
        if pageIsEmpty, try await !store.hasConnector(id) { throw AppError.notFound("The connector") }
    }

    /// Records the run and carries it out (sync), or queues it (async). With `connectorVersion`,
    /// throws `ExecutionStore.ConnectorChanged` (having recorded and run nothing) when the connector's
    /// row is no longer at that version.
    func start(
        _ runnable: RunnableConnector, _ values: ExecutionRequest, mode: ExecutionMode, replayOf: UUID?,
        _ caller: Caller, _ request: RequestInfo, connectorVersion: String? = nil
    ) async throws -> ExecutionResult {
        let store = store(caller.tenantID)
        let input = runnable.scrubbed(values.stored)
        let creator = ExecutionCreator(userID: caller.identity.userID, name: caller.actorName)
        if mode == .async {
            let id = try await store.enqueue(
                connectorID: runnable.id, input: input, createdBy: creator, replayOf: replayOf,
                connectorVersion: connectorVersion)
            return ExecutionResult(executionID: id, connectorID: runnable.id, status: .pending)
        }
        let id = try await store.start(
            connectorID: runnable.id, input: input, createdBy: creator, replayOf: replayOf,
            connectorVersion: connectorVersion)
        let outcome = await run(runnable, values)
        do {
            try await store.finish(id, outcome: outcome)
        } catch {
            // The caller still gets the outcome: running it again could repeat its effects. The row
            // is given up as lost once its lease runs out.
            logger.error(
                "could not record the outcome of an execution: \(error)", metadata: ["execution": "\(id)"])
        }
        await markIfBroken(runnable, outcome, actor: caller.actor, request: request)
        return ExecutionResult(
            executionID: id, connectorID: runnable.id,
            status: outcome.status == .completed ? .completed : .failed, outcome: outcome)
    }

    func run(_ runnable: RunnableConnector, _ values: ExecutionRequest) async -> ExecutionOutcome {
        guard let plan = runnable.plan else {
            // Compiling again reports what is wrong with the config.
            return await executor.run(
                config: .object(runnable.connector.config), auth: .object(runnable.auth), input: values.input,
                contact: values.contact, workspace: values.workspace)
        }
        return await executor.run(
            plan, auth: .object(runnable.auth), input: values.input, contact: values.contact,
            workspace: values.workspace)
    }

    /// Puts the connector in `error` when the outcome says it is broken (see the type's notes).
    func markIfBroken(
        _ runnable: RunnableConnector, _ outcome: ExecutionOutcome, actor: AuditActor, request: RequestInfo
    ) async {
        guard let failure = outcome.error, failure.kind.marksConnectorFailed else { return }
        do {
            _ = try await connectors.markError(
                id: runnable.id, tenantID: runnable.connector.tenantID,
                message: "A run failed: \(failure.message)", actor: actor, request: request)
        } catch {
            logger.error(
                "could not put a failing connector in error: \(error)",
                metadata: ["connector": "\(runnable.id)"])
        }
    }
}
