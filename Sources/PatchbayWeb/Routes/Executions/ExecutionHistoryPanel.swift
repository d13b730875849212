import Foundation
import HTTPServer
import Patchbay
import Templating

/// The History panel of the connector detail page: built for the page, for the "Older" link and
/// after a run or replay from the page.
extension ConnectorPages {
    /// Runs recorded by the pages go through the same service as the API.
    var executions: ExecutionService { ExecutionService(connectors: connectors) }

    /// `HX-Target` → partial on the detail page.
    static let executionFragments = ["executions": "partials/execution-history"]

    /// Executions per page of the panel: each carries its documents.
    static let historyPageSize = 10

    /// The panel for the detail page's query: `before` (a cursor from "Older") and `execution` (the
    /// run to show expanded). A cursor that does not parse shows the latest runs.
    func executionHistory(_ connector: Connector, request: HTTPRequest, context: PatchbayContext)
        async throws -> TemplateValue
    {
        let before = request.query["before"].flatMap(ExecutionCursor.init)
        let openID = request.query["execution"].flatMap(UUID.init(uuidString:))
        return try await executionHistory(connector, before: before, openID: openID, context: context)
    }

    func executionHistory(
        _ connector: Connector, before: ExecutionCursor? = nil, openID: UUID? = nil,
        form: ExecutionHistoryViewModel.RunForm = .init(), context: PatchbayContext
    ) async throws -> TemplateValue {
        let page = try await executions.history(
            connectorID: connector.id, limit: Self.historyPageSize, before: before, context.identity)
        let mayRun = context.identity?.can(.connectorExecute) == true
        let refusal = ExecutionService.refusal(for: connector)
        // Only a custom HTTP connector that is switched off is worth a word; other types never run.
        let blocked = mayRun && refusal?.kind == .conflict ? "Activate this connector to run it." : ""
        let panel = ExecutionHistoryViewModel.Context(
            connector: connector, canRun: mayRun && refusal == nil, blockedReason: blocked,
            csrfToken: context.identity?.csrfToken ?? "", isPaged: before != nil, openID: openID)
        return ExecutionHistoryViewModel.model(page, panel, form: form)
    }

    /// The panel alone, as the HTMX client swaps it into `#executions`.
    func historyPanel(_ executions: TemplateValue, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try views.fragment("partials/execution-history", ["executions": executions], status: status)
    }
}
