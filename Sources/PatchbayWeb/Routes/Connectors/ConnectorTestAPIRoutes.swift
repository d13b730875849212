import Foundation
import HTTPServer
import JSON
import Patchbay

/// `/api/v1`: connection tests of saved connectors and of unsaved settings, and health-check
/// schedules. A test that ran answers 200 whatever it found: `{"success", "message", "latency_ms",
/// "details", "error_kind"}`; settings the schemas refuse are a 422 with the per-field map.
struct ConnectorTestAPIRoutes {
    let connectors: ConnectorService

    func register(on api: RouteGroup<PatchbayContext>) {
        api.post("/connectors/{id}/test", routeInfo("Test a connector's connection", .connectorTest)) {
            request, context in try await testSaved(request, context)
        }
        api.post(
            "/connectors/test", routeInfo("Test settings and credentials without saving them", .connectorTest)
        ) { request, context in try await testDraft(request, context) }
        api.put(
            "/connectors/{id}/health-check",
            routeInfo("Schedule a connector's health checks", .connectorUpdate)
        ) { request, context in try await setHealthCheck(request, context) }
    }

    /// Body (optional): `{"timeout_ms": 5000}`. The answer adds `recorded` (false for tests that say
    /// nothing about the connector: `unsupported`, `cancelled`), `status` and `status_message`.
    private func testSaved(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let id = try request.connectorID()
        _ = try await connectors.get(id: id, context.identity)
        let body = request.body.isEmpty ? [:] : try APIBody.object(request)
        let outcome = try await connectors.test(
            id: id, timeout: try Self.timeout(body), context.identity, request: context.requestInfo(request))
        guard case .object(var answer) = outcome.result.json else {
            return APIJSON.respond(outcome.result.json)
        }
        answer["recorded"] = .bool(outcome.isRecorded)
        answer["status"] = .string(outcome.connector.status.rawValue)
        answer["status_message"] = .string(outcome.connector.statusMessage)
        answer["tested_at"] = APIJSON.date(outcome.connector.lastTest?.testedAt)
        return APIJSON.respond(.object(answer))
    }

    /// `{"catalog_key", "config", "auth"}` for a connector not installed yet, or `{"connector_id",
    /// "config", "auth", "upgrade"}` for unsaved changes to one: `config` members replace the stored
    /// ones (`null` removes one), credentials follow the update rules (a value replaces, `""` or
    /// `null` clears, `{"unchanged": true}` or leaving the field out keeps the saved secret).
    private func testDraft(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let body = try APIBody.object(request)
        let config = try ConnectorJSON.object(body, "config")
        // Both are read whichever is used, so a member of the wrong type is refused, never ignored.
        let catalogKey = try ConnectorJSON.string(body, "catalog_key")
        let upgrade = try Self.flag(body, "upgrade")
        let draft: ConnectionTestDraft
        if let text = try ConnectorJSON.string(body, "connector_id") {
            guard let id = UUID(uuidString: text) else { throw AppError.notFound("The connector") }
            draft = .changes(
                connectorID: id,
                ConnectorChanges(
                    config: config.map(ConfigChange.merge), auth: try ConnectorJSON.authChanges(body),
                    upgrade: upgrade))
        } else if let key = catalogKey {
            draft = .install(
                catalogKey: key, config: config ?? [:], auth: try ConnectorJSON.object(body, "auth") ?? [:])
        } else {
            throw AppError.validation(
                ["catalog_key": ["is required (or connector_id, to test changes to an installed connector)"]])
        }
        let result = try await connectors.testDraft(draft, timeout: try Self.timeout(body), context.identity)
        return APIJSON.respond(result.json)
    }

    /// `{"interval_minutes": 15}` (1 to 10080) or `{"interval_minutes": null}` to turn checks off.
    private func setHealthCheck(_ request: HTTPRequest, _ context: PatchbayContext) async throws
        -> HTTPResponse
    {
        let id = try request.connectorID()
        _ = try await connectors.get(id: id, context.identity)
        let body = try APIBody.object(request)
        guard let value = body["interval_minutes"] else {
            throw AppError.validation(["interval_minutes": ["is required (null turns the checks off)"]])
        }
        guard value.isNull || value.int != nil else {
            throw AppError.validation(["interval_minutes": ["must be a whole number of minutes, or null"]])
        }
        let connector = try await connectors.setHealthCheck(
            id: id, minutes: value.int, context.identity, request: context.requestInfo(request))
        let type = try await connectors.type(of: connector, context.identity)
        var response = APIJSON.respond(ConnectorJSON.connector(connector, type: type))
        response.headers.add(name: "ETag", value: ConnectorJSON.etag(connector))
        return response
    }

    /// A boolean member; absent or null is false.
    static func flag(_ body: JSONObject, _ key: String) throws -> Bool {
        switch body[key] {
        case nil, .null?: return false
        case .bool(let value)?: return value
        default: throw AppError.validation([key: ["must be true or false"]])
        }
    }

    /// `timeout_ms` from 100 to 60000, if given.
    static func timeout(_ body: JSONObject) throws -> Duration? {
        guard let value = body["timeout_ms"], !value.isNull else { return nil }
        guard let millis = value.int, (100...60_000).contains(millis) else {
            throw AppError.validation(["timeout_ms": ["must be a whole number from 100 to 60000"]])
        }
        return .milliseconds(millis)
    }
}
