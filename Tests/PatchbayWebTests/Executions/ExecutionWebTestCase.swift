import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// The app allowed to call 127.0.0.1, an echo server there, a tenant with an API token per role, and
/// helpers to install custom HTTP connectors pointed at the echo server.
class ExecutionWebTestCase: XCTestCase {
    var app: TestApp!
    var echo: EchoHTTPServer!
    var acme: Tenant!
    /// API token secrets of acme, by role.
    var tokens: [Role: String] = [:]
    var admin: String { tokens[.admin]! }
    var developer: String { tokens[.developer]! }
    var viewer: String { tokens[.viewer]! }

    override func setUp() async throws {
        app = try await TestApp.start(outboundAllow: "127.0.0.1")
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["custom-http", "openai", "webhook"])
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        for role in Role.allCases {
            tokens[role] = try await app.fixtures.token(in: acme, role: role, name: "\(role.rawValue)-bot")
                .secret
        }
        echo = try await EchoHTTPServer.start()
    }

    override func tearDown() async throws {
        await echo?.stop()
        await app?.stop()
    }

    func call(_ token: String, _ method: String, _ path: String, _ body: JSON? = nil) async throws
        -> TestResponse
    {
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await app.client.send(method, path, headers: headers, body: body?.serialized() ?? [])
    }

    /// Installs a custom HTTP connector through the API (as an admin of acme unless `token` says
    /// otherwise) and activates it unless told not to; returns its id.
    func install(
        _ name: String, config: JSONObject, auth: JSONObject = ["method": "none"], activate: Bool = true,
        token: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> String {
        let token = token ?? admin
        var config = config
        if config["retries"] == nil { config["retries"] = 0 }
        let installed = try await call(
            token, "POST", "/api/v1/connectors",
            [
                "catalog_key": "custom-http", "name": .string(name), "config": .object(config),
                "auth": .object(auth),
            ])
        XCTAssertEqual(installed.status, 201, installed.text, file: file, line: line)
        let id = try XCTUnwrap(try installed.json()["id"]?.string, file: file, line: line)
        if activate {
            let activated = try await call(
                token, "POST", "/api/v1/connectors/\(id)/status", ["status": "active"])
            XCTAssertEqual(activated.status, 200, activated.text, file: file, line: line)
        }
        return id
    }

    /// A connector that POSTs `{"email": "{{contact.email}}"}` to `/echo/{{input.id}}` and maps the
    /// echoed path and email back.
    func installEcho(_ name: String = "Echo", auth: JSONObject = ["method": "none"], activate: Bool = true)
        async throws -> String
    {
        try await install(
            name,
            config: [
                "method": "POST", "url": .string(echo.url("/echo/{{input.id | default: 'none'}}")),
                "body_type": "json",
                "body": #"{"email": "{{contact.email | default: ''}}"}"#,
                "field_mappings": [
                    ["source_path": "$.path", "target_field": "path"],
                    ["source_path": "$.method", "target_field": "method"],
                ],
            ], auth: auth, activate: activate)
    }

    /// Runs connector `id` in the request as `token`.
    func execute(_ token: String, _ id: String, _ body: JSON = [:], query: String = "") async throws
        -> TestResponse
    {
        try await call(token, "POST", "/api/v1/connectors/\(id)/execute\(query)", body)
    }

    /// Rows of `connector_executions` as text, read across tenants (what an attacker with the
    /// database would see).
    func rawExecutionRows() async throws -> [String] {
        try await app.fixtures.column("SELECT row_to_json(e)::text FROM connector_executions e").compactMap {
            $0
        }
    }
}
