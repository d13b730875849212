import Foundation
import JSON

extension ExecutionService {
    /// Runs `chain.connectorIDs` in order (`ChainRunner`): each sees the contact with the fields the
    /// earlier ones mapped merged in, and the chain stops at the first that fails. Every connector's
    /// run is recorded as a synchronous execution in its own History, with the contact it saw.
    ///
    /// Every connector is checked before any runs: 422 for an empty or too long list, 404 when one is
    /// not the tenant's, and the connector's refusal (409 when not active) otherwise.
    public func runChain(_ chain: ChainRequest, _ identity: Identity?, request: RequestInfo) async throws
        -> ChainResult
    {
        let caller = try Authorization.tenant(for: .connectorExecute, identity)
        let ids = chain.connectorIDs
        guard !ids.isEmpty else {
            throw AppError.validation(["connectors": ["must list at least one connector"]])
        }
        guard ids.count <= ChainRequest.maxConnectors else {
            throw AppError.validation([
                "connectors": ["may list at most \(ChainRequest.maxConnectors) connectors (got \(ids.count))"]
            ])
        }
        let runnables = try await load(ids, tenantID: caller.tenantID)
        for (position, runnable) in runnables.enumerated() {
            guard var refusal = runnable.refusal else { continue }
            refusal.fields = ["connectors[\(position)]": [refusal.message]]
            throw refusal
        }
        // One redactor for every link: a link's stored contact may carry what an earlier one mapped.
        let redactor = RequestRedactor(
            secrets: runnables.flatMap { CustomHTTPExecutor.redactor(for: .object($0.auth)).secrets })
        let values = chain.values
        let recorder = store(caller.tenantID).chainRecorder(
            connectorIDs: ids,
            createdBy: ExecutionCreator(userID: caller.identity.userID, name: caller.actorName),
            logger: logger
        ) { _, contact in
            RunnableConnector.scrub(
                ExecutionRequest(input: values.input, contact: .object(contact), workspace: values.workspace)
                    .stored, with: redactor)
        }
        let links = runnables.map { runnable in
            ChainLink(
                name: runnable.connector.name, config: .object(runnable.connector.config),
                auth: .object(runnable.auth))
        }
        var outcome = await ChainRunner(executor: executor).run(
            connectors: links, contact: values.contact, workspace: values.workspace, input: values.input,
            recorder: recorder)
        // Mapped values are scrubbed already; the caller's own contact may hold a pasted credential.
        outcome.contact = RunnableConnector.scrub(.object(outcome.contact), with: redactor).object ?? [:]
        for (position, step) in outcome.steps.enumerated() where step.outcome.status == .failed {
            await markIfBroken(runnables[position], step.outcome, actor: caller.actor, request: request)
        }
        return ChainResult(outcome: outcome, connectorIDs: ids)
    }

    /// Each of `ids`, loaded once however often it is listed; 404 naming the position of the first
    /// that is not the tenant's.
    private func load(_ ids: [UUID], tenantID: UUID) async throws -> [RunnableConnector] {
        var loaded: [UUID: RunnableConnector] = [:]
        var result: [RunnableConnector] = []
        for (position, id) in ids.enumerated() {
            if let runnable = loaded[id] {
                result.append(runnable)
                continue
            }
            do {
                let runnable = try await RunnableConnector.load(
                    id, tenantID: tenantID, environment: environment)
                loaded[id] = runnable
                result.append(runnable)
            } catch var error as AppError where error.kind == .notFound {
                error.fields = ["connectors[\(position)]": ["is not a connector of this workspace"]]
                throw error
            }
        }
        return result
    }
}
