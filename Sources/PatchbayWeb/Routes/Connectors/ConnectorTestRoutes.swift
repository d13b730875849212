import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// Connection tests and health-check settings from the pages: the card's and the detail page's
/// "Test" (the card swaps in place with the result; without JavaScript, a redirect and a flash), the
/// forms' "Test connection" (the result swaps into the form; without JavaScript, the form comes back
/// with the result), and the detail page's health-check interval.
struct ConnectorTestRoutes {
    let pages: ConnectorPages
    let forms: ConnectorFormRoutes
    var connectors: ConnectorService { pages.connectors }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/{id}/test", routeInfo("Test a connector", .connectorTest, page: true)
        ) { request, context in try await testSaved(request, context) }
        signedIn.post(
            ConnectorFormModel.testURL,
            routeInfo("Test a connector form without saving it", .connectorTest, page: true)
        ) { request, context in try await testForm(request, context) }
        signedIn.post(
            "/features/connectors/{id}/health-check",
            routeInfo("Schedule a connector's health checks", .connectorUpdate, page: true)
        ) { request, context in try await setHealthCheck(request, context) }
    }

    func testSaved(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let outcome = try await connectors.test(
            id: try request.connectorID(), context.identity, request: context.requestInfo(request))
        let (message, level) = Self.toast(outcome)
        guard request.isHTMX, ConnectorPages.isFromConnectorsPage(request) else {
            return pages.redirect(
                request, to: ConnectorPages.returnPath(request.formFields["return_to"]), message: message,
                level: level)
        }
        var response = try pages.card(outcome.connector, context: context)
        response.body += try await pages.statusChips(request, context)
        response.headers.add(name: "HX-Trigger", value: Flash.toastTrigger(message, level: level))
        return response
    }

    /// "Stripe passed its test in 84 ms: HTTP 200 from api.stripe.com." and the toast's level.
    static func toast(_ outcome: ConnectorTestOutcome) -> (String, String) {
        let name = outcome.connector.name
        let result = outcome.result
        if result.success {
            return ("\(name) passed its test in \(result.latencyMs) ms: \(result.message)", "success")
        }
        guard outcome.isRecorded else { return (result.message, "info") }
        return ("\(name) failed its test: \(result.message)", "error")
    }

    func testForm(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let (posted, input, draft) = try await read(request.formFields, context)
        var model = posted
        let value: TemplateValue
        do {
            if !input.inputErrors.isEmpty {
                throw AppError.validation(input.inputErrors, message: "Fix the settings before testing them.")
            }
            let result = try await connectors.testDraft(draft, context.identity)
            // Without JavaScript the whole form comes back, and secrets are never sent back to it.
            let typedSecret = (input.auth.value.object ?? [:]).keys.contains { input.type.auth.isSecret($0) }
            let note =
                !request.isHTMX && typedSecret
                ? "Secrets you typed are not shown again: type them again before you save." : ""
            value = InstalledViewModels.testResult(result, note: note)
        } catch let error as AppError where error.kind == .validation {
            value = InstalledViewModels.testProblems(error)
        }
        if request.isHTMX { return try pages.views.fragment("partials/connection-test-result", value) }
        model.testResult = value
        return try forms.render(model, request, context)
    }

    /// The form as posted (to show it again) and the draft it describes: changes to an installed
    /// connector when it names one (`connector_id`), else a new install of `catalog_key`.
    private func read(_ form: HTTPQuery, _ context: PatchbayContext) async throws
        -> (ConnectorFormModel, ConnectorFormInput, ConnectionTestDraft)
    {
        if let text = form["connector_id"], !text.isEmpty {
            guard let id = UUID(uuidString: text) else { throw AppError.notFound("The connector") }
            let upgrade = form["upgrade"] == "1"
            let connector = try await connectors.get(id: id, context.identity)
            var model = try await forms.editModel(connector, upgrade: upgrade, context)
            let input = ConnectorFormInput(form, type: model.type)
            model.name = input.name
            model.tags = input.tagsText
            model.config = input.configValue
            model.auth = input.visibleAuth
            model.submitted = input.submitted
            model.returnTo = ConnectorPages.returnPath(form["return_to"])
            let changes = input.changes(expectedVersion: nil, upgrade: upgrade)
            return (model, input, .changes(connectorID: id, changes))
        }
        let (entry, type) = try await connectors.latestType(
            catalogKey: form["catalog_key"] ?? "", context.identity)
        let input = ConnectorFormInput(form, type: type)
        let model = ConnectorFormModel(
            purpose: .install(entry), type: type, name: input.name, tags: input.tagsText,
            config: input.configValue, auth: input.visibleAuth, submitted: input.submitted)
        return (
            model, input,
            .install(catalogKey: entry.key, config: input.configValue, auth: input.auth.value.object ?? [:])
        )
    }

    func setHealthCheck(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        let text = request.formFields["interval_minutes"] ?? ""
        let back = ConnectorPages.returnPath(
            request.formFields["return_to"] ?? "\(ConnectorPages.installedPath)/\(id.lowercased)")
        guard text.isEmpty || Int(text) != nil else {
            return pages.redirect(request, to: back, message: "Choose how often to check.", level: "error")
        }
        do {
            let connector = try await connectors.setHealthCheck(
                id: id, minutes: Int(text), context.identity, request: context.requestInfo(request))
            let message =
                connector.healthCheck.isEnabled
                ? "\(connector.name) will be checked every \(connector.healthCheck.intervalText)."
                : "Health checks of \(connector.name) are off."
            return pages.redirect(request, to: back, message: message)
        } catch let error as AppError where error.kind == .validation {
            let reason = error.fields.values.flatMap { $0 }.first ?? error.message
            return pages.redirect(
                request, to: back, message: "The health checks were not changed: \(reason).", level: "error")
        }
    }
}
