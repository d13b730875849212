import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// The step-by-step builder of custom HTTP connectors. "Add" and "Configure" open it instead of the
/// generic form for those connectors (`ConnectorFormRoutes` hands them over); it saves through the
/// same service calls and answers as that form, and runs "Try it" on the unsaved values.
struct BuilderRoutes {
    let forms: ConnectorFormRoutes
    var connectors: ConnectorService { forms.connectors }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/builder",
            routeInfo("Install a connector from the builder", .connectorInstall, page: true)
        ) { request, context in try await install(request, context) }
        signedIn.post(
            "/features/connectors/{id}/builder",
            routeInfo("Save a connector from the builder", .connectorUpdate, page: true)
        ) { request, context in try await save(request, context) }
        signedIn.post(
            "/features/connectors/builder/try",
            routeInfo("Try a new custom request", .connectorTest, page: true)
        ) { request, context in try await tryRequest(request, connectorID: nil, context) }
        signedIn.post(
            "/features/connectors/{id}/builder/try",
            routeInfo("Try a custom request being edited", .connectorTest, page: true)
        ) { request, context in try await tryRequest(request, connectorID: try request.connectorID(), context)
        }
    }

    // MARK: Forms

    /// The builder for a new connector of `entry`.
    func newForm(
        _ entry: CatalogEntry, _ type: ConnectorType, _ request: HTTPRequest, _ context: PatchbayContext
    )
        throws -> HTTPResponse
    {
        var model = BuilderModel(
            form: ConnectorFormModel(purpose: .install(entry), type: type), isEnabled: false)
        model.canTry = context.identity?.can(.connectorTest) == true
        return try render(model, request, context)
    }

    /// The builder for an installed connector; `model` is the generic form's, with its values.
    func editForm(
        _ model: ConnectorFormModel, _ connector: Connector, _ request: HTTPRequest,
        _ context: PatchbayContext
    )
        throws -> HTTPResponse
    {
        var builder = BuilderModel(form: model, isEnabled: connector.status == .active)
        builder.canTry = context.identity?.can(.connectorTest) == true
        return try render(builder, request, context)
    }

    func install(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let key = request.formFields["catalog_key"] ?? ""
        let (entry, type) = try await connectors.latestType(catalogKey: key, context.identity)
        let input = BuilderFormInput(request.formFields, type: type)
        var model = BuilderModel(
            form: ConnectorFormModel(purpose: .install(entry), type: type), isEnabled: false)
        fill(&model, input, context)
        if input.base.isRefresh { return try render(model, request, context) }
        return try await handlingInvalid(request, context, model: &model) {
            let draft = input.draft(catalogKey: entry.key)
            if !input.inputErrors.isEmpty {
                let problems = try await connectors.checkInstall(draft, context.identity)
                throw AppError.validation(problems.merging(input.inputErrors) { _, typed in typed })
            }
            let info = context.requestInfo(request)
            var connector = try await connectors.install(draft, context.identity, request: info)
            var message = "\(connector.name) was added. Activate it when you are ready."
            if input.isEnabled {
                connector = try await connectors.setStatus(
                    id: connector.id, to: .active, expectedVersion: connector.rowVersion, context.identity,
                    request: info)
                message = "\(connector.name) was added and is active."
            }
            return try await forms.answerInstalled(connector, message: message, request, context)
        }
    }

    func save(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let connector = try await connectors.get(id: try request.connectorID(), context.identity)
        let form = request.formFields
        let generic = try await forms.editModel(connector, upgrade: false, context)
        let input = BuilderFormInput(form, type: generic.type)
        var model = BuilderModel(form: generic, isEnabled: connector.status == .active)
        fill(&model, input, context)
        model.form.returnTo = ConnectorPages.returnPath(form["return_to"])
        if input.base.isRefresh { return try render(model, request, context) }
        let changes = input.changes(expectedVersion: form.get("row_version", as: Int.self))
        let returnTo = model.form.returnTo
        return try await handlingInvalid(request, context, model: &model) {
            if !input.inputErrors.isEmpty {
                let problems = try await connectors.checkUpdate(id: connector.id, changes, context.identity)
                throw AppError.validation(problems.merging(input.inputErrors) { _, typed in typed })
            }
            let info = context.requestInfo(request)
            var saved = try await connectors.update(
                id: connector.id, changes, context.identity, request: info)
            // Only a change of the box moves the status: an unticked box leaves a failed connector failed.
            let wanted: ConnectorStatus? =
                input.isEnabled
                ? (saved.status == .active ? nil : .active) : (saved.status == .active ? .inactive : nil)
            if let wanted {
                saved = try await connectors.setStatus(
                    id: saved.id, to: wanted, expectedVersion: saved.rowVersion, context.identity,
                    request: info)
            }
            return try forms.answerSaved(saved, returnTo: returnTo, request, context)
        }
    }

    /// The form as posted (secrets excluded) and the builder's own inputs, to show back.
    private func fill(_ model: inout BuilderModel, _ input: BuilderFormInput, _ context: PatchbayContext) {
        model.form.name = input.base.name
        model.form.tags = input.base.tagsText
        // The whole form as typed, single-request fields included in steps mode, so nothing is lost.
        model.form.config = input.base.configValue
        model.form.auth = input.base.visibleAuth
        model.form.submitted = input.base.submitted
        model.mode = input.mode
        model.stepsText = input.stepsText
        model.isEnabled = input.isEnabled
        model.canTry = context.identity?.can(.connectorTest) == true
    }

    // MARK: Rendering

    /// The builder as a page, as the modal (`HX-Target: modal`) or as the form alone (a post's answer).
    func render(
        _ model: BuilderModel, _ request: HTTPRequest, _ context: PatchbayContext, status: HTTPStatus = .ok
    )
        throws -> HTTPResponse
    {
        try forms.pages.page(
            "pages/builder", title: model.title, ["builder": model.value], request: request, context: context,
            status: status,
            fragments: ["modal": "partials/builder-modal", BuilderModel.formID: "partials/builder"])
    }

    /// Runs a save; a validation error (422) or a conflict (409) shows the builder again with the
    /// problems on the steps that hold them.
    private func handlingInvalid(
        _ request: HTTPRequest, _ context: PatchbayContext, model: inout BuilderModel,
        _ body: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as AppError where error.kind == .validation || error.kind == .conflict {
            model.form.errors = error.fields
            if error.kind == .conflict || error.fields.isEmpty { model.form.formErrors = [error.message] }
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
