import Foundation
import JSON
import JSONSchema
import Patchbay
import TestSupport
import XCTest

/// Real responses of every kind of operation, successes and errors alike, checked against the schema
/// the served document gives for their status, with the project's own JSON Schema validator. The
/// bodies of requests that succeed are checked against the documented request schema too.
final class OpenAPIResponseTests: XCTestCase {
    var app: TestApp!
    private var document: JSON = nil
    var token = ""
    var checked = 0

    override func setUp() async throws {
        // Connection tests and queries reach local targets only: the app itself, the test cluster.
        app = try await TestApp.start(outboundAllow: "127.0.0.1")
        try await ConnectorFixtures.seed(
            app.app.catalog, keys: ["openai", "rest", "postgresql", "mysql", "custom-http"])
        document = try await app.client.get("/api/v1/openapi.json").json()
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    func testSuccessesMatchTheirDocumentedSchemas() async throws {
        let tenant = try await app.fixtures.tenant("contract", name: "Contract Ltd")
        let owner = try await app.fixtures.member("owner@contract.test", of: tenant, role: .owner)
        token = try await app.fixtures.token(in: tenant, role: .owner).secret

        try await check("GET", "/api/v1/me", 200)
        let created = try await check(
            "POST", "/api/v1/tokens", 201, body: ["name": "docs bot", "role": "viewer"])
        try await check("GET", "/api/v1/tokens", 200)
        let tokenID = try XCTUnwrap(created["token"]?["id"]?.string)
        try await check("DELETE", "/api/v1/tokens/\(tokenID)", 200, pattern: "/api/v1/tokens/{token_id}")
        try await check("GET", "/api/v1/members", 200)
        try await check("GET", "/api/v1/audit-events?limit=5", 200, pattern: "/api/v1/audit-events")
        try await check("GET", "/api/v1/catalog?limit=2", 200, pattern: "/api/v1/catalog")
        try await check("GET", "/api/v1/catalog/openai", 200, pattern: "/api/v1/catalog/{key}")
        try await check(
            "GET", "/api/v1/catalog/openai/versions", 200, pattern: "/api/v1/catalog/{key}/versions")
        try await check("GET", "/api/v1/connector-types", 200)

        let draft = ConnectorFixtures.openAI("Contract Assistant")
        let install: JSON = [
            "catalog_key": .string(draft.catalogKey), "name": .string(draft.name),
            "config": .object(draft.config),
            "auth": .object(draft.auth), "tags": ["ai"],
        ]
        let connector = try await check("POST", "/api/v1/connectors", 201, body: install)
        let id = try XCTUnwrap(connector["id"]?.string)
        let one = "/api/v1/connectors/{id}"
        try await check("GET", "/api/v1/connectors/\(id)", 200, pattern: one)
        try await check("GET", "/api/v1/installed", 200)
        try await check("GET", "/api/v1/connectors?status=inactive", 200, pattern: "/api/v1/connectors")
        try await check(
            "PATCH", "/api/v1/connectors/\(id)", 200, pattern: one, body: ["tags": ["ai", "docs"]])
        try await check(
            "POST", "/api/v1/connectors/\(id)/status", 200, pattern: one + "/status",
            body: ["status": "active"])
        try await check("GET", "/api/v1/connectors/\(id)/upgrade", 200, pattern: one + "/upgrade")
        try await check(
            "POST", "/api/v1/validate-config", 200,
            body: ["catalog_key": "openai", "config": [:], "auth": [:]])
        try await check("GET", "/api/v1/publish-targets", 200)
        try await check(
            "PATCH", "/api/v1/members/\(owner.id.uuidString.lowercased())", 409,
            pattern: "/api/v1/members/{user_id}",
            body: ["role": "viewer"])
        try await check(
            "DELETE", "/api/v1/connectors/\(id)", 409, pattern: one, headers: [("If-Match", "\"99\"")])
        try await check("DELETE", "/api/v1/connectors/\(id)", 204, pattern: one)
        try await check("GET", "/api/v1/connectors/\(id)", 404, pattern: one)
        XCTAssertEqual(checked, 23)
    }

    func testErrorsMatchTheOneErrorShape() async throws {
        let tenant = try await app.fixtures.tenant("errors", name: "Errors Ltd")
        token = try await app.fixtures.token(in: tenant, role: .owner).secret
        try await check("POST", "/api/v1/tokens", 422, body: ["name": 5, "role": "viewer"])
        try await check("POST", "/api/v1/tokens", 400, raw: Array("{\"name\": ".utf8))
        try await check("POST", "/api/v1/tokens", 415, raw: Array("name=x".utf8), type: "text/plain")
        try await check("POST", "/api/v1/admin/catalog/sync", 403)
        try await check("GET", "/api/v1/catalog?limit=0", 400, pattern: "/api/v1/catalog")
        try await check("GET", "/api/v1/catalog/no-such-entry", 404, pattern: "/api/v1/catalog/{key}")
        token = "pb_not-a-real-token"
        try await check("GET", "/api/v1/me", 401)
        XCTAssertEqual(checked, 7)
        // The validation can fail: a success body is no error, an error without its request id neither.
        let error = try XCTUnwrap(documentedSchema("GET", "/api/v1/me", status: 401) ?? nil)
        XCTAssertFalse(try Schema(error).isValid(["items": []]))
        XCTAssertFalse(try Schema(error).isValid(["error": ["code": "not_found", "message": "Gone."]]))
    }

    /// Sends a request and validates the body against the document's schema for the status it got; a
    /// JSON body that succeeded must also be valid under the operation's request schema.
    @discardableResult
    func check(
        _ method: String, _ path: String, _ status: Int, pattern: String? = nil, body: JSON? = nil,
        raw: [UInt8]? = nil, type: String = "application/json", headers: [(String, String)] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> JSON {
        var fields = [("Authorization", "Bearer \(token)")] + headers
        if body != nil || raw != nil { fields.append(("Content-Type", type)) }
        let response = try await app.client.send(
            method, path, headers: fields, body: raw ?? body?.serialized() ?? [])
        let label = "\(method) \(path)"
        XCTAssertEqual(
            response.status, status, "\(label): \(response.text.prefix(300))", file: file, line: line)
        let documented = try XCTUnwrap(
            documentedSchema(method, pattern ?? path, status: response.status),
            "\(label) documents \(response.status)",
            file: file, line: line)
        checked += 1
        if let body, (200..<300).contains(response.status) {
            let accepted = try requestSchemaAccepts(method, pattern ?? path, body)
            XCTAssertTrue(
                accepted, "\(label): the request schema refuses a body the server took", file: file,
                line: line)
        }
        guard let schema = documented else {
            XCTAssertTrue(
                response.body.isEmpty, "\(label): a \(response.status) has no body", file: file, line: line)
            return nil
        }
        let json = try response.json()
        let result = try Schema(schema).validate(json)
        XCTAssertTrue(
            result.isValid, "\(label) \(response.status): \(result.fieldErrors)", file: file, line: line)
        return json
    }

    /// Whether `body` is valid under the operation's documented request body schema (false when the
    /// operation documents none).
    func requestSchemaAccepts(_ method: String, _ pattern: String, _ body: JSON) throws -> Bool {
        let content = document["paths"]?[pattern]?[method.lowercased()]?["requestBody"]?["content"]
        guard var schema = content?["application/json"]?["schema"]?.object else { return false }
        schema["components"] = document["components"]
        return try Schema(.object(schema)).isValid(body)
    }

    /// The schema of a documented response (nil inside: documented without a body), as a standalone
    /// schema that carries the document's components for its `$ref`s; nil when the status is not
    /// documented at all.
    private func documentedSchema(_ method: String, _ pattern: String, status: Int) -> JSON?? {
        guard var response = document["paths"]?[pattern]?[method.lowercased()]?["responses"]?[String(status)]
        else { return nil }
        if let reference = response["$ref"]?.string {
            response = document.at(pointer: String(reference.dropFirst())) ?? nil
        }
        guard var schema = response["content"]?["application/json"]?["schema"]?.object else {
            return .some(nil)
        }
        schema["components"] = document["components"]
        return .some(.object(schema))
    }
}
