import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// The install and configure forms: in a modal for the HTMX client (`HX-Target: modal`), as a page
/// otherwise. Invalid input comes back as the form with inline errors (422, or 409 for a taken name
/// or a stale edit) with every value kept except secrets.
struct ConnectorFormRoutes {
    let pages: ConnectorPages
    let installed: InstalledRoutes
    var connectors: ConnectorService { pages.connectors }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.get(
            "/features/connectors/new/{key}", routeInfo("Install form", .connectorInstall, page: true)
        ) {
            request, context in try await newForm(request, context)
        }
        signedIn.post("/features/connectors", routeInfo("Install a connector", .connectorInstall, page: true))
        {
            request, context in try await install(request, context)
        }
        signedIn.get(
            "/features/connectors/{id}/edit", routeInfo("Configure form", .connectorUpdate, page: true)
        ) {
            request, context in try await editForm(request, context)
        }
        signedIn.post(
            "/features/connectors/{id}", routeInfo("Save a connector", .connectorUpdate, page: true)
        ) {
            request, context in try await save(request, context)
        }
    }

    // MARK: Install

    func newForm(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let (entry, type) = try await connectors.latestType(
            catalogKey: request.parameters["key"] ?? "", context.identity)
        guard entry.manifest.status != "deprecated" else {
            throw AppError(.notFound, "\(entry.manifest.name) is deprecated and takes no new installs.")
        }
        if type.manifest.isCustomHTTP {
            return try BuilderRoutes(forms: self).newForm(entry, type, request, context)
        }
        return try render(ConnectorFormModel(purpose: .install(entry), type: type), request, context)
    }

    func install(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let key = request.formFields["catalog_key"] ?? ""
        let (entry, type) = try await connectors.latestType(catalogKey: key, context.identity)
        let input = ConnectorFormInput(request.formFields, type: type)
        var model = ConnectorFormModel(
            purpose: .install(entry), type: type, name: input.name, tags: input.tagsText,
            config: input.configValue,
            auth: input.visibleAuth, submitted: input.submitted)
        if input.isRefresh { return try render(model, request, context) }
        return try await handlingInvalid(request, context, form: &model) {
            let draft = input.draft(catalogKey: entry.key)
            if !input.inputErrors.isEmpty {
                let problems = try await connectors.checkInstall(draft, context.identity)
                throw AppError.validation(problems.merging(input.inputErrors) { _, typed in typed })
            }
            let connector = try await connectors.install(
                draft, context.identity, request: context.requestInfo(request))
            return try await answerInstalled(connector, request, context)
        }
    }

    /// Install succeeded: on the connectors page the Installed panel replaces the tab (URL pushed),
    /// the modal closes and a toast says so; elsewhere, a redirect to the Installed tab.
    func answerInstalled(
        _ connector: Connector, message: String? = nil, _ request: HTTPRequest, _ context: PatchbayContext
    ) async throws -> HTTPResponse {
        let message = message ?? "\(connector.name) was added. Activate it when you are ready."
        guard request.isHTMX, ConnectorPages.isFromConnectorsPage(request) else {
            return pages.redirect(request, to: ConnectorPages.installedPath, message: message)
        }
        var response = try await installed.panelFragment(context)
        response.headers.add(name: "HX-Retarget", value: "#tab-panel")
        response.headers.add(name: "HX-Reswap", value: "innerHTML")
        response.headers.add(name: "HX-Push-Url", value: ConnectorPages.installedPath)
        response.headers.add(
            name: "HX-Trigger", value: ConnectorPages.trigger(message, events: ["closeModal"]))
        return response
    }

    // MARK: Configure

    func editForm(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let connector = try await connectors.get(id: try request.connectorID(), context.identity)
        let returnTo = ConnectorPages.returnPath(
            request.query["return_to"] ?? request.headers["HX-Current-URL"].map(ConnectorPages.path(of:)))
        var model = try await editModel(connector, upgrade: request.query["upgrade"] == "1", context)
        model.returnTo = returnTo
        if case .edit = model.purpose, model.type.manifest.isCustomHTTP {
            return try BuilderRoutes(forms: self).editForm(model, connector, request, context)
        }
        if case .upgrade = model.purpose {
            model.errors = try await connectors.upgradePlan(id: connector.id, context.identity).problems
        }
        return try render(model, request, context)
    }

    func save(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let connector = try await connectors.get(id: try request.connectorID(), context.identity)
        let form = request.formFields
        let upgrade = form["upgrade"] == "1"
        var model = try await editModel(connector, upgrade: upgrade, context)
        let input = ConnectorFormInput(form, type: model.type)
        model.name = input.name
        model.tags = input.tagsText
        model.config = input.configValue
        model.auth = input.visibleAuth
        model.submitted = input.submitted
        model.returnTo = ConnectorPages.returnPath(form["return_to"])
        if input.isRefresh { return try render(model, request, context) }
        let changes = input.changes(expectedVersion: form.get("row_version", as: Int.self), upgrade: upgrade)
        let returnTo = model.returnTo
        return try await handlingInvalid(request, context, form: &model) {
            if !input.inputErrors.isEmpty {
                let problems = try await connectors.checkUpdate(id: connector.id, changes, context.identity)
                throw AppError.validation(problems.merging(input.inputErrors) { _, typed in typed })
            }
            let saved = try await connectors.update(
                id: connector.id, changes, context.identity, request: context.requestInfo(request))
            return try answerSaved(saved, returnTo: returnTo, request, context)
        }
    }

    func answerSaved(
        _ connector: Connector, returnTo: String, _ request: HTTPRequest, _ context: PatchbayContext
    )
        throws -> HTTPResponse
    {
        let message = "\(connector.name) was saved."
        guard request.isHTMX, ConnectorPages.isFromConnectorsPage(request) else {
            return pages.redirect(request, to: returnTo, message: message)
        }
        var response = try pages.card(connector, context: context)
        response.headers.add(name: "HX-Retarget", value: "#connector-\(connector.id.lowercased)")
        response.headers.add(name: "HX-Reswap", value: "outerHTML")
        response.headers.add(
            name: "HX-Trigger", value: ConnectorPages.trigger(message, events: ["closeModal"]))
        return response
    }

    /// The edit form's model for `connector`: its pinned version, or the latest for an upgrade.
    func editModel(_ connector: Connector, upgrade: Bool, _ context: PatchbayContext) async throws
        -> ConnectorFormModel
    {
        let type =
            upgrade
            ? try await connectors.latestType(catalogKey: connector.catalog.key, context.identity).1
            : try await connectors.type(of: connector, context.identity)
        let visible = JSONObject(
            connector.authFields.compactMap { state in state.value.map { (state.name, $0) } })
        return ConnectorFormModel(
            purpose: upgrade ? .upgrade(connector) : .edit(connector), type: type, name: connector.name,
            tags: connector.tags.joined(separator: ", "), config: connector.config, auth: visible)
    }

    // MARK: Rendering

    /// The form as a page, as the modal (`HX-Target: modal`) or as the form alone (a post's answer).
    func render(
        _ model: ConnectorFormModel, _ request: HTTPRequest, _ context: PatchbayContext,
        status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        try pages.page(
            "pages/connector-form", title: model.title, ["form": model.value], request: request,
            context: context,
            status: status,
            fragments: [
                "modal": "partials/connector-form-modal", "connector-form": "partials/connector-form",
            ])
    }

    /// Runs a save; a validation error (422) or a conflict (409) shows the form again with the problems.
    private func handlingInvalid(
        _ request: HTTPRequest, _ context: PatchbayContext, form model: inout ConnectorFormModel,
        _ body: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as AppError where error.kind == .validation || error.kind == .conflict {
            model.errors = error.fields
            if error.kind == .conflict || error.fields.isEmpty { model.formErrors = [error.message] }
            let status: HTTPStatus = error.kind == .conflict ? .conflict : .unprocessableContent
            var response = try render(model, request, context, status: status)
            // The client swaps 422 answers by itself; a 409 needs telling.
            if request.isHTMX, error.kind == .conflict {
                response.headers.add(name: "HX-Reswap", value: "outerHTML")
            }
            return response
        }
    }
}
