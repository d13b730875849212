import Foundation
import HTTPServer
import JSON
import Patchbay

/// `/api/v1`: running connectors (now, queued, again, or several in a chain) and reading their
/// executions. Every answer is credential-free: inputs are stored scrubbed, outcomes are redacted.
struct ExecutionAPIRoutes {
    let executions: ExecutionService

    func register(on api: RouteGroup<PatchbayContext>) {
        api.post("/connectors/{id}/execute", routeInfo("Run a connector", .connectorExecute)) {
            request, context in
            let id = try request.connectorID()
            let mode = try ExecutionJSON.mode(request)
            let result = try await executions.execute(
                connectorID: id, try ExecutionJSON.values(request), mode: mode, context.identity,
                request: context.requestInfo(request))
            return Self.respond(result)
        }
        api.get("/connectors/{id}/executions", routeInfo("A connector's executions", .executionsRead)) {
            request, context in
            let paging = try ExecutionJSON.paging(request)
            let page = try await executions.list(
                connectorID: try request.connectorID(), limit: paging.limit, before: paging.before,
                context.identity)
            return APIJSON.respond(ExecutionJSON.page(page))
        }
        api.get("/executions/{execution_id}", routeInfo("Get an execution", .executionsRead)) {
            request, context in
            APIJSON.respond(try await executions.get(id: try request.executionID(), context.identity).json())
        }
        api.post(
            "/executions/{execution_id}/replay", routeInfo("Run an execution again", .connectorExecute)
        ) { request, context in
            let result = try await executions.replay(
                id: try request.executionID(), mode: try ExecutionJSON.mode(request), context.identity,
                request: context.requestInfo(request))
            return Self.respond(result)
        }
        api.post("/chains/run", routeInfo("Run connectors in a chain", .connectorExecute)) {
            request, context in
            let result = try await executions.runChain(
                try ExecutionJSON.chain(request), context.identity, request: context.requestInfo(request))
            return APIJSON.respond(result.json())
        }
    }

    /// A finished run: 200 with its outcome (also when it failed: the call itself succeeded). A
    /// queued run: 202 with `{execution_id, status: "pending"}` and where to follow it.
    static func respond(_ result: ExecutionResult) -> HTTPResponse {
        guard result.outcome == nil else { return APIJSON.respond(result.json()) }
        var response = APIJSON.respond(
            [
                "execution_id": .string(result.executionID.lowercased),
                "status": .string(result.status.rawValue),
            ], status: .accepted)
        response.headers.add(name: "Location", value: "/api/v1/executions/\(result.executionID.lowercased)")
        return response
    }
}
