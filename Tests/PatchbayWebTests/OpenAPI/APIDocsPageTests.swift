import TestSupport
import XCTest

/// `/api/docs`: the OpenAPI document rendered by Patchbay itself, readable without signing in and
/// without JavaScript.
final class APIDocsPageTests: XCTestCase {
    func testThePageListsOperationsByTagWithRolesParametersAndSchemas() async throws {
        let app = try await TestApp.start()
        addTeardownBlock { await app.stop() }
        let response = try await app.client.get("/api/docs", headers: [("Accept", "text/html")])
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/html") ?? false)
        let html = response.text
        XCTAssertTrue(html.contains(#"<link rel="stylesheet" href="/static/css/api-docs.css">"#))
        XCTAssertTrue(html.contains(#"href="/api/v1/openapi.json""#))

        // Tags in the contract's order, each a section.
        let identity = try XCTUnwrap(html.range(of: #"id="tag-identity-title">Identity</h2>"#))
        let catalog = try XCTUnwrap(html.range(of: #"id="tag-catalog-title">Catalog</h2>"#))
        let connectors = try XCTUnwrap(html.range(of: #"id="tag-connectors-title">Connectors</h2>"#))
        XCTAssertLessThan(identity.lowerBound, catalog.lowerBound)
        XCTAssertLessThan(catalog.lowerBound, connectors.lowerBound)

        // One operation in full: method, path, summary, role, parameters, body and responses.
        let start = try XCTUnwrap(html.range(of: #"<details class="api-op" id="put_connectors_id">"#))
        let end = try XCTUnwrap(html.range(of: "</details>", range: start.upperBound..<html.endIndex))
        let operation = html[start.lowerBound..<end.lowerBound]
        for expected in [
            #"<span class="api-method api-method-put">PUT</span>"#,
            #"<code class="api-path">/api/v1/connectors/{id}</code>"#,
            "Replace a connector&#39;s name, settings and tags",
            #"<span class="api-role" title="Role needed">admin</span>"#,
            "<code>If-Match</code>", "(RBAC action <code>connector.update</code>)", "string (uuid)",
            "Request body",
            ##"<a href="#schema-ConnectorReplacement">"##,
            ">409</span>", "Conflict", ">422</span>", ##"<a href="#schema-Error">"##,
        ] {
            XCTAssertTrue(operation.contains(expected), "the PUT operation shows \(expected)")
        }
        XCTAssertTrue(html.contains(#"<details class="api-op api-schema-def" id="schema-Connector">"#))
        XCTAssertTrue(html.contains(#"<span class="api-role" title="Role needed">public</span>"#))
        XCTAssertFalse(html.contains("<script>"), "the page needs no inline script")
    }
}
