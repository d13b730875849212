import HTTPServer
import JSON
import Patchbay
import TestSupport
import XCTest

@testable import PatchbayWeb

/// The contract and the router stay in step: every `/api/v1` route has a documented response schema
/// (and a request body when it takes one), every contract entry has a route, and the served document
/// says what the route table says (summaries, RBAC roles, 401/403).
final class OpenAPIContractTests: XCTestCase {
    private var app: TestApp!

    override func setUp() async throws {
        app = try await TestApp.start()
    }

    override func tearDown() async throws {
        await app?.stop()
    }

    func testEveryAPIRouteAndEveryContractEntryMatch() throws {
        let routes = app.app.makeRouter().routes
        XCTAssertGreaterThan(routes.filter { $0.pattern.hasPrefix("/api/v1/") }.count, 25)
        XCTAssertEqual(APIContract.problems(routes: routes), [])
        XCTAssertEqual(APIContract.duplicateKeys, [])
    }

    /// The check itself: a route without an entry, an entry without a route, a write without a body
    /// and a response without a schema are each reported.
    func testTheCheckReportsEveryKindOfGap() {
        let routes = [
            RouteDescription(method: .get, pattern: "/api/v1/widgets"),
            RouteDescription(method: .post, pattern: "/api/v1/widgets"),
            RouteDescription(method: .get, pattern: "/api/v1/gadgets"),
            RouteDescription(method: .get, pattern: "/features/pages-are-not-api"),
        ]
        let operations: [String: APIOperation] = [
            "POST /api/v1/widgets": APIOperation(
                tag: "Connectors", responses: [.created(APIContract.anyObject)]),
            "GET /api/v1/gadgets": APIOperation(
                tag: "Connectors", responses: [APIResponse(status: 200, description: "no schema")]),
            "DELETE /api/v1/widgets/{id}": APIOperation(tag: "Nowhere", responses: [.noContent]),
        ]
        let problems = APIContract.problems(routes: routes, operations: operations)
        XCTAssertEqual(
            problems,
            [
                "GET /api/v1/widgets has no entry in APIContract",
                "POST /api/v1/widgets does not say what body it takes (a schema, or `.none`)",
                "GET /api/v1/gadgets documents no schema for its 200 response",
                "DELETE /api/v1/widgets/{id} is in APIContract but no route serves it",
            ])
    }

    func testTheDocumentIsPublicAndCarriesTheRouteTable() async throws {
        let response = try await app.client.get("/api/v1/openapi.json")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        let document = try response.json()
        XCTAssertEqual(document["openapi"], "3.1.0")
        let paths = try XCTUnwrap(document["paths"]?.object)
        for route in app.app.makeRouter().routes where route.pattern.hasPrefix("/api/v1/") {
            let operation = paths[route.pattern]?[route.method.rawValue.lowercased()]
            XCTAssertNotNil(operation, "\(route.method) \(route.pattern) is in the document")
            XCTAssertEqual(operation?["summary"]?.string, route.metadata["summary"])
            XCTAssertEqual(operation?["x-rbac-action"]?.string, route.metadata["action"])
        }

        let install = try XCTUnwrap(paths["/api/v1/connectors"]?["post"])
        XCTAssertEqual(install["x-required-role"], "admin")
        XCTAssertTrue(install["description"]?.string?.contains("**admin** role") ?? false)
        XCTAssertEqual(
            install["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"],
            "#/components/schemas/ConnectorInput")
        for status in ["201", "400", "401", "403", "409", "413", "415", "422", "503"] {
            XCTAssertNotNil(install["responses"]?[status], "POST /api/v1/connectors documents \(status)")
        }
        XCTAssertNil(install["responses"]?["404"], "no path parameter, no 404")
        XCTAssertEqual(install["responses"]?["201"]?["links"]?["Get"]?["operationId"], "get_connectors_id")

        let me = try XCTUnwrap(paths["/api/v1/me"]?["get"])
        XCTAssertNotNil(me["responses"]?["401"])
        XCTAssertNil(me["responses"]?["403"], "any signed-in caller may read /me")
        XCTAssertEqual(
            paths["/api/v1/connectors/{id}"]?["delete"]?["responses"]?["404"]?["$ref"],
            "#/components/responses/NotFound")
        XCTAssertEqual(paths["/api/v1/admin/catalog/sync"]?["post"]?["x-required-role"], "superuser")
        XCTAssertEqual(paths["/api/v1/openapi.json"]?["get"]?["security"], [])
    }

    /// Every `$ref` in the document points at something that exists.
    func testEveryReferenceResolves() async throws {
        let document = try await app.client.get("/api/v1/openapi.json").json()
        var references: [String] = []
        collectReferences(document, into: &references)
        XCTAssertGreaterThan(references.count, 50)
        for reference in Set(references) {
            XCTAssertNotNil(document.at(pointer: String(reference.dropFirst())), "\(reference) resolves")
        }
    }

    private func collectReferences(_ json: JSON, into references: inout [String]) {
        switch json {
        case .object(let object):
            for (key, value) in object {
                if key == "$ref", let text = value.string { references.append(text) }
                collectReferences(value, into: &references)
            }
        case .array(let items): for item in items { collectReferences(item, into: &references) }
        default: break
        }
    }
}
