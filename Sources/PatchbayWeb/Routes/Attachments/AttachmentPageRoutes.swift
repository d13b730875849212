import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// The "Attached agents" panel of the connector detail page: attach and detach forms. The HTMX
/// client gets the panel back (422/409 with the form's inline errors, a toast on success); a plain
/// browser is redirected to the detail page with a flash, or gets the page again with the errors.
struct AttachmentPageRoutes {
    let installed: InstalledRoutes
    let attachments: AttachmentService
    var pages: ConnectorPages { installed.pages }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/{id}/attachments",
            routeInfo("Attach a connector to an agent", .connectorAttach, page: true)
        ) { request, context in try await attach(request, context) }
        signedIn.post(
            "/features/connectors/{id}/attachments/{instance_id}/detach",
            routeInfo("Detach a connector from an agent", .connectorAttach, page: true)
        ) { request, context in try await detach(request, context) }
    }

    /// The panel's view model for connector `id`, as the detail page and the fragments show it.
    static func panel(
        _ id: UUID, attachments: AttachmentService, context: PatchbayContext,
        form: AttachmentViewModels.Form = .empty
    ) async throws -> TemplateValue {
        AttachmentViewModels.panel(
            connectorID: id,
            attachments: try await attachments.attachments(ofConnector: id, context.identity),
            canAttach: context.identity?.can(.connectorAttach) == true,
            csrfToken: context.identity?.csrfToken ?? "", form: form)
    }

    private func attach(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        let connector = try await pages.connectors.get(id: id, context.identity)
        let fields = request.formFields
        var form = AttachmentViewModels.Form(
            agentID: fields["agent_id"] ?? "", alias: fields["alias"] ?? "",
            configOverride: fields["config_override"] ?? "")
        do {
            let draft = AttachmentDraft(
                agentID: form.agentID, alias: form.alias,
                configOverride: try Self.override(form.configOverride))
            let attached = try await attachments.attach(
                connectorID: id, draft, context.identity, request: context.requestInfo(request))
            let message =
                "\(connector.name) is attached to agent \(attached.attachment.agentID) as “\(attached.attachment.alias)”."
            return try await answer(id, request, context, message: message)
        } catch let error as AppError where error.kind == .validation || error.kind == .conflict {
            form.error = error
            if let posted = try? Self.override(form.configOverride), !posted.isEmpty {
                let type = try await pages.connectors.type(of: connector, context.identity)
                let shown = AttachmentRules.withoutCredentials(posted, type: type)
                form.configOverride = JSON.object(shown).serializedString()
            }
            let status: HTTPStatus = error.kind == .conflict ? .conflict : .unprocessableContent
            guard request.isHTMX else {
                return try await installed.detailPage(id, request, context, attachForm: form, status: status)
            }
            var response = try await fragment(id, context, form: form, status: status)
            // hx.js swaps a 422 by itself; a 409 only when told how.
            response.headers.add(name: "HX-Reswap", value: "outerHTML")
            return response
        }
    }

    private func detach(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        let connector = try await pages.connectors.get(id: id, context.identity)
        let instanceID = try request.uuidParameter("instance_id", "The attachment")
        guard
            try await attachments.attachments(ofConnector: id, context.identity).contains(where: {
                $0.id == instanceID
            })
        else { throw AppError.notFound("The attachment") }
        let removed = try await attachments.detach(
            instanceID: instanceID, context.identity, request: context.requestInfo(request))
        let message = "\(connector.name) was detached from agent \(removed.agentID) (“\(removed.alias)”)."
        return try await answer(id, request, context, message: message)
    }

    /// After a change: the fresh panel and a toast for the HTMX client, else back to the page.
    private func answer(_ id: UUID, _ request: HTTPRequest, _ context: PatchbayContext, message: String)
        async throws -> HTTPResponse
    {
        guard request.isHTMX else {
            return pages.redirect(
                request, to: "\(ConnectorPages.installedPath)/\(id.lowercased)", message: message)
        }
        var response = try await fragment(id, context, form: .empty, status: .ok)
        response.headers.add(name: "HX-Trigger", value: ConnectorPages.trigger(message))
        return response
    }

    private func fragment(
        _ id: UUID, _ context: PatchbayContext, form: AttachmentViewModels.Form, status: HTTPStatus
    ) async throws -> HTTPResponse {
        let panel = try await Self.panel(id, attachments: attachments, context: context, form: form)
        return try pages.views.fragment(
            "partials/connector-attachments", ["attachments": panel], status: status)
    }

    /// The override box: empty for none, else a JSON object.
    static func override(_ text: String) throws -> JSONObject {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [:] }
        guard case .object(let object)? = try? JSON(parsing: trimmed, maxDepth: APIBody.maxDepth) else {
            throw AppError.validation([
                "config_override": [#"must be a JSON object of settings, such as {"database": "reports"}"#]
            ])
        }
        return object
    }
}
