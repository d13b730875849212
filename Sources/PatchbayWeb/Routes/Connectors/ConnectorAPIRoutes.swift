import Foundation
import HTTPServer
import JSON
import Patchbay

/// `/api/v1`: installed connectors, config validation and publish targets as JSON. Errors use the
/// one JSON shape, with the per-field map (`config.port`, `auth.api_key`, `name`) on 422 and 409.
struct ConnectorAPIRoutes {
    let connectors: ConnectorService
    /// List bodies by listing stamp: a stamp names one read of one tenant's page.
    let bodies = BoundedCache<[UInt8]>()

    func register(on api: RouteGroup<PatchbayContext>) {
        for path in ["/installed", "/connectors"] {
            api.get(path, routeInfo("List installed connectors", .installedRead)) { request, context in
                try await list(request, context)
            }
        }
        api.post("/connectors", routeInfo("Install a connector", .connectorInstall)) { request, context in
            try await install(request, context)
        }
        api.get("/connectors/{id}", routeInfo("Get an installed connector", .installedRead)) {
            request, context in
            let connector = try await connectors.get(id: try request.connectorID(), context.identity)
            return try await respond(connector, context)
        }
        api.put(
            "/connectors/{id}", routeInfo("Replace a connector's name, settings and tags", .connectorUpdate)
        ) {
            request, context in try await update(request, context, partial: false)
        }
        api.patch("/connectors/{id}", routeInfo("Change some of a connector's fields", .connectorUpdate)) {
            request, context in try await update(request, context, partial: true)
        }
        api.delete("/connectors/{id}", routeInfo("Delete a connector", .connectorDelete)) {
            request, context in
            let id = try request.connectorID()
            _ = try await connectors.get(id: id, context.identity)
            try await connectors.delete(
                id: id, expectedVersion: try ConnectorJSON.rowVersion(nil, request), context.identity,
                request: context.requestInfo(request))
            return HTTPResponse(status: .noContent)
        }
        api.post(
            "/connectors/{id}/status", routeInfo("Activate or deactivate a connector", .connectorActivate)
        ) {
            request, context in try await setStatus(request, context)
        }
        registerUpgrade(on: api)
        api.post(
            "/validate-config",
            routeInfo("Validate settings and credentials without saving", .connectorValidate)
        ) {
            request, context in try await validate(request, context)
        }
        api.get("/publish-targets", routeInfo("Active connectors that can publish", .publishRead)) {
            _, context in
            let targets = try await connectors.publishTargets(context.identity).map { target -> JSON in
                [
                    "id": .string(target.id.lowercased), "name": .string(target.name),
                    "catalog_key": .string(target.catalogKey),
                    "capabilities": .array(target.capabilities.map(JSON.string)),
                ]
            }
            return APIJSON.respond(["items": .array(targets)])
        }
    }

    private func registerUpgrade(on api: RouteGroup<PatchbayContext>) {
        api.get(
            "/connectors/{id}/upgrade",
            routeInfo("What upgrading to the latest version would find", .installedRead)
        ) {
            request, context in
            let plan = try await connectors.upgradePlan(id: try request.connectorID(), context.identity)
            return APIJSON.respond([
                "from_version": .string(plan.fromVersion), "to_version": .string(plan.toVersion),
                "ready": .bool(plan.isReady), "fields": Self.fields(plan.problems),
            ])
        }
        api.post(
            "/connectors/{id}/upgrade", routeInfo("Upgrade to the latest catalog version", .connectorUpdate)
        ) {
            request, context in
            let id = try request.connectorID()
            _ = try await connectors.get(id: id, context.identity)
            let body = request.body.isEmpty ? nil : try APIBody.object(request)
            let connector = try await connectors.upgrade(
                id: id, expectedVersion: try ConnectorJSON.rowVersion(body, request), context.identity,
                request: context.requestInfo(request))
            return try await respond(connector, context)
        }
    }

    private func list(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        var status: ConnectorStatus?
        if let text = request.query["status"] {
            guard let parsed = ConnectorStatus(parsing: text) else {
                throw AppError.validation(["status": ["must be inactive, active or error"]])
            }
            status = parsed
        }
        let filter = ConnectorFilter(
            status: status, category: request.query["category"], tag: request.query["tag"],
            query: request.query["q"],
            limit: try CatalogAPI.integer(
                request, "limit", default: 50, range: 1...ConnectorFilter.maximumLimit),
            offset: try CatalogAPI.integer(request, "offset", default: 0, range: 0...1_000_000))
        let listing = try await connectors.listing(filter, context.identity)
        let key = String(listing.stamp)
        if let body = bodies.lookup(key) { return APIJSON.respond(bytes: body) }
        var items: [JSON] = []
        for connector in listing.page.connectors {
            items.append(
                ConnectorJSON.connector(
                    connector, type: try? await connectors.type(of: connector, context.identity)))
        }
        let page = listing.page
        let body = JSON.object([
            "items": .array(items), "total": .int(Int64(page.total)), "limit": .int(Int64(page.limit)),
            "offset": .int(Int64(page.offset)),
        ]).serialized()
        bodies.store(key, body)
        return APIJSON.respond(bytes: body)
    }

    private func install(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let body = try APIBody.object(request)
        let draft = ConnectorDraft(
            catalogKey: try ConnectorJSON.string(body, "catalog_key") ?? "",
            name: try ConnectorJSON.string(body, "name") ?? "",
            config: try ConnectorJSON.object(body, "config") ?? [:],
            auth: try ConnectorJSON.object(body, "auth") ?? [:],
            tags: try ConnectorJSON.tags(body) ?? [])
        let connector = try await connectors.install(
            draft, context.identity, request: context.requestInfo(request))
        var response = try await respond(connector, context, status: .created)
        response.headers.add(name: "Location", value: "/api/v1/connectors/\(connector.id.lowercased)")
        return response
    }

    /// PUT replaces the name, the settings and the tags; PATCH changes what it names (settings are
    /// merged: a `null` member removes a setting). Both merge credentials field by field.
    private func update(_ request: HTTPRequest, _ context: PatchbayContext, partial: Bool) async throws
        -> HTTPResponse
    {
        let id = try request.connectorID()
        _ = try await connectors.get(id: id, context.identity)
        let body = try APIBody.object(request)
        let name = try ConnectorJSON.string(body, "name")
        let config = try ConnectorJSON.object(body, "config")
        var changes = ConnectorChanges(
            name: name, config: config.map { partial ? .merge($0) : .replace($0) },
            auth: try ConnectorJSON.authChanges(body),
            tags: try ConnectorJSON.tags(body), expectedVersion: try ConnectorJSON.rowVersion(body, request))
        if !partial {
            var missing: [String: [String]] = [:]
            if name == nil { missing["name"] = ["is required"] }
            if config == nil { missing["config"] = ["is required (send {} for none)"] }
            guard missing.isEmpty else { throw AppError.validation(missing) }
            if changes.tags == nil { changes.tags = [] }
        }
        let connector = try await connectors.update(
            id: id, changes, context.identity, request: context.requestInfo(request))
        return try await respond(connector, context)
    }

    private func setStatus(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        _ = try await connectors.get(id: id, context.identity)
        let body = try APIBody.object(request)
        guard let text = try ConnectorJSON.string(body, "status"), let status = ConnectorStatus(parsing: text)
        else {
            throw AppError.validation(["status": ["must be active or inactive"]])
        }
        let connector = try await connectors.setStatus(
            id: id, to: status, expectedVersion: try ConnectorJSON.rowVersion(body, request),
            context.identity,
            request: context.requestInfo(request))
        return try await respond(connector, context)
    }

    private func validate(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let body = try APIBody.object(request)
        let problems = try await connectors.validateConfig(
            catalogKey: try ConnectorJSON.string(body, "catalog_key") ?? "",
            config: try ConnectorJSON.object(body, "config") ?? [:],
            auth: try ConnectorJSON.object(body, "auth") ?? [:], context.identity)
        return APIJSON.respond(["valid": .bool(problems.isEmpty), "fields": Self.fields(problems)])
    }

    private func respond(_ connector: Connector, _ context: PatchbayContext, status: HTTPStatus = .ok)
        async throws
        -> HTTPResponse
    {
        let type = try await connectors.type(of: connector, context.identity)
        var response = APIJSON.respond(ConnectorJSON.connector(connector, type: type), status: status)
        response.headers.add(name: "ETag", value: ConnectorJSON.etag(connector))
        return response
    }

    static func fields(_ problems: [String: [String]]) -> JSON {
        .object(
            JSONObject(
                problems.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSON.string))) }))
    }
}
