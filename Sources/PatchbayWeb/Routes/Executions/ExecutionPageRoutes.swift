import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// The Run form and the Replay buttons of the History panel. From the HTMX client the answer is the
/// refreshed panel with the new run expanded, plus a toast; without JavaScript, a 303 back to the
/// detail page showing the run, with the toast as a flash.
struct ExecutionPageRoutes {
    let pages: ConnectorPages
    let installed: InstalledRoutes

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/{id}/execute",
            routeInfo("Run a connector from its page", .connectorExecute, page: true)
        ) { request, context in try await run(request, context) }
        signedIn.post(
            "/features/executions/{execution_id}/replay",
            routeInfo("Run an execution again from the History panel", .connectorExecute, page: true)
        ) { request, context in
            let result = try await pages.executions.replay(
                id: try request.executionID(), context.identity, request: context.requestInfo(request))
            return try await answer(result, request, context)
        }
    }

    private func run(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        // The connector first: another tenant's is a 404 whatever the form holds.
        let connector = try await pages.connectors.get(id: try request.connectorID(), context.identity)
        var form = ExecutionHistoryViewModel.RunForm(
            input: request.formFields["input"] ?? "", contact: request.formFields["contact"] ?? "")
        let input = Self.object(form.input, "input", &form.errors)
        let contact = Self.object(form.contact, "contact", &form.errors)
        guard form.errors.isEmpty else {
            let panel = try await pages.executionHistory(connector, form: form, context: context)
            if request.isHTMX { return try pages.historyPanel(panel, status: .unprocessableContent) }
            return try await installed.detailPage(
                connector, executions: panel, status: .unprocessableContent, request: request,
                context: context)
        }
        let result = try await pages.executions.execute(
            connectorID: connector.id, ExecutionRequest(input: input, contact: contact), context.identity,
            request: context.requestInfo(request))
        // The form keeps what was typed, to be changed and run again.
        return try await answer(result, request, context, before: connector, form: form)
    }

    /// The panel with the run expanded and a toast; a redirect when there is no panel to refresh in
    /// place, or when the run changed the connector's status (the page header shows it).
    private func answer(
        _ result: ExecutionResult, _ request: HTTPRequest, _ context: PatchbayContext,
        before: Connector? = nil, form: ExecutionHistoryViewModel.RunForm = .init()
    ) async throws -> HTTPResponse {
        let connector = try await pages.connectors.get(id: result.connectorID, context.identity)
        let (message, level) = Self.toast(result)
        let location =
            "\(InstalledViewModels.base)/\(connector.id.lowercased)?execution=\(result.executionID.lowercased)#executions"
        guard request.isHTMX, before.map({ $0.status == connector.status }) ?? true else {
            return pages.redirect(request, to: location, message: message, level: level)
        }
        let panel = try await pages.executionHistory(
            connector, openID: result.executionID, form: form, context: context)
        var response = try pages.historyPanel(panel)
        response.headers.add(name: "HX-Trigger", value: Flash.toastTrigger(message, level: level))
        return response
    }

    static func toast(_ result: ExecutionResult) -> (String, String) {
        guard let outcome = result.outcome else { return ("The run was queued.", "info") }
        guard outcome.status == .completed else {
            return ("The run failed: \(outcome.error?.message ?? "no reason was given")", "error")
        }
        let status = outcome.httpStatus.map { " · HTTP \($0)" } ?? ""
        return ("The run completed\(status) · \(outcome.durationMs) ms", "success")
    }

    /// A textarea's JSON object; blank means `{}`.
    static func object(_ text: String, _ field: String, _ errors: inout [String: String]) -> JSON {
        guard !text.allSatisfy(\.isWhitespace) else { return [:] }
        do {
            let value = try JSON(parsing: Array(text.utf8), maxDepth: APIBody.maxDepth)
            guard case .object = value else {
                errors[field] = "must be a JSON object, such as {\"email\": \"ada@example.com\"}"
                return [:]
            }
            return value
        } catch {
            errors[field] = "is not valid JSON: \(error)"
            return [:]
        }
    }
}
