import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// A workspace with an owner, a developer and a viewer, the custom-http and OpenAI catalog entries,
/// an app allowed to reach 127.0.0.1, and an upstream API on 127.0.0.1 for the connectors to call.
class BuilderTestCase: XCTestCase {
    var app: TestApp!
    var upstream: BuilderUpstream!
    /// The owner, signed in.
    var browser: TestSession!
    var acme: Tenant!

    static let fromCatalog = [
        ("HX-Request", "true"), ("HX-Current-URL", "http://127.0.0.1/features/connectors/catalog"),
    ]
    static let sample = #"{"contact": {"email": "ada@example.com"}, "input": {"id": "42"}}"#

    override func setUp() async throws {
        app = try await TestApp.start(outboundAllow: "127.0.0.1")
        try await ConnectorFixtures.seed(app.app.catalog, keys: ["custom-http", "openai"])
        acme = try await app.fixtures.tenant("acme", name: "Acme")
        _ = try await app.fixtures.member("owner@acme.test", of: acme, role: .owner, name: "Olive Owner")
        _ = try await app.fixtures.member("dev@acme.test", of: acme, role: .developer)
        _ = try await app.fixtures.member("viewer@acme.test", of: acme, role: .viewer)
        upstream = try await BuilderUpstream.start()
        browser = try await signIn("owner@acme.test")
    }

    override func tearDown() async throws {
        await upstream?.stop()
        await app?.stop()
    }

    func signIn(_ email: String) async throws -> TestSession {
        let session = app.session()
        _ = try await session.login(email, IdentityFixtures.password)
        return session
    }

    /// A builder form as the browser posts it: one GET request with a header, a query parameter, a
    /// bearer token, one mapping and the sample values. `changes` replace fields by name (or add them).
    func builderForm(_ changes: [(String, String)] = []) -> [(String, String)] {
        var form: [(String, String)] = [
            ("catalog_key", "custom-http"), ("name", "People API"), ("tags", "crm, people"),
            ("config.description", "Looks people up by id."), ("builder_mode", "single"),
            ("config.method", "GET"), ("config.url", upstream.url("/people/{{input.id}}")),
            ("config.headers[][key]", "X-Trace"), ("config.headers[][value]", "{{contact.email}}"),
            ("config.headers[][key]", ""), ("config.headers[][value]", ""),
            ("config.query_params[][key]", "ws"), ("config.query_params[][value]", "{{workspace.slug}}"),
            ("config.body_type", "none"), ("config.body", ""), ("config.content_type", ""),
            ("auth.method", "bearer"), ("auth.token", "tok-builder-secret-1"),
            ("config.timeout_ms", "5000"), ("config.retries", "2"), ("config.retry_backoff_ms", "10"),
            ("config.follow_redirects", "false"), ("config.follow_redirects", "true"),
            ("config.verify_tls", "false"), ("config.verify_tls", "true"),
            ("enabled", "false"),
            ("_sample", Self.sample),
            ("config.field_mappings[][source_path]", "$.identities[0].firstName"),
            ("config.field_mappings[][target_field]", "first_name"),
            ("config.field_mappings[][source_path]", ""), ("config.field_mappings[][target_field]", ""),
            ("_steps_json", ""),
        ]
        for (name, value) in changes {
            if let index = form.firstIndex(where: { $0.0 == name }) {
                form[index].1 = value
            } else {
                form.append((name, value))
            }
        }
        return form
    }

    /// Installs a connector through the builder (without JavaScript); returns its id.
    func installThroughBuilder(_ changes: [(String, String)] = []) async throws -> String {
        let response = try await browser.post("/features/connectors/builder", form: builderForm(changes))
        XCTAssertEqual(response.status, 303, response.text)
        let name = changes.first { $0.0 == "name" }?.1 ?? "People API"
        let rows = try await app.fixtures.column("SELECT id::text FROM connectors WHERE name = $1", [name])
        return try XCTUnwrap(rows.first ?? nil)
    }

    /// The stored settings of a connector.
    func storedConfig(_ id: String) async throws -> JSON {
        let rows = try await app.fixtures.column(
            "SELECT config::text FROM connectors WHERE id = $1::uuid", [id])
        return try JSON(parsing: try XCTUnwrap(rows.first ?? nil))
    }
}
