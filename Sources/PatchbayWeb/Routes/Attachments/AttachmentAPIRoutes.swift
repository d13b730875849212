import Foundation
import HTTPServer
import JSON
import Patchbay

/// `/api/v1`: attaching connectors to agents, an agent's connectors, detaching, and read-only
/// queries on database connectors. Errors use the one JSON shape, with the per-field map
/// (`agent_id`, `alias`, `config_override.database`, `sql`) on 422 and 409.
struct AttachmentAPIRoutes {
    let attachments: AttachmentService
    let queries: QueryService
    var connectors: ConnectorService { attachments.connectors }

    func register(on api: RouteGroup<PatchbayContext>) {
        api.post("/connectors/{id}/attach", routeInfo("Attach a connector to an agent", .connectorAttach)) {
            request, context in try await attach(request, context)
        }
        api.get(
            "/agents/{agent_id}/connectors",
            routeInfo("The connectors attached to an agent, with their effective settings", .attachmentsRead)
        ) { request, context in
            let agentID = request.parameters["agent_id"] ?? ""
            let items = try await attachments.connectors(ofAgent: agentID, context.identity)
            return APIJSON.respond([
                "agent_id": .string(agentID), "items": .array(items.map(AttachmentJSON.attached)),
            ])
        }
        api.delete(
            "/connectors/instances/{instance_id}",
            routeInfo("Detach a connector from an agent", .connectorAttach)
        ) { request, context in
            try await attachments.detach(
                instanceID: try request.uuidParameter("instance_id", "The attachment"), context.identity,
                request: context.requestInfo(request))
            return HTTPResponse(status: .noContent)
        }
        api.post(
            "/connectors/{id}/query",
            routeInfo("Run a read-only query on a database connector", .connectorQuery)
        ) { request, context in
            let id = try request.connectorID()
            // The connector first: another tenant's id is a 404 whatever the body holds.
            _ = try await connectors.get(id: id, context.identity)
            let query = try AttachmentJSON.query(try APIBody.object(request))
            let result = try await queries.query(connectorID: id, query, context.identity)
            return APIJSON.respond(result.json)
        }
    }

    private func attach(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        _ = try await connectors.get(id: id, context.identity)
        let draft = try AttachmentJSON.draft(try APIBody.object(request))
        let attached = try await attachments.attach(
            connectorID: id, draft, context.identity, request: context.requestInfo(request))
        return APIJSON.respond(AttachmentJSON.attached(attached), status: .created)
    }
}
