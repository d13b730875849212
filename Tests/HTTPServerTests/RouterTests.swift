import HTTPServer
import Logging
import Synchronization
import XCTest

struct TestContext: RequestContext {
    var trail: [String] = []
    init(source: RequestContextSource) {}
}

/// Appends its name to the context on the way in and to a header on the way out.
struct TraceMiddleware: Middleware {
    let name: String
    func handle(
        _ request: HTTPRequest, context: TestContext,
        next: (HTTPRequest, TestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var context = context
        context.trail.append(name)
        var response = try await next(request, context)
        response.headers.add(name: "X-Trace", value: name)
        return response
    }
}

struct TeapotError: HTTPResponseError {
    var status: HTTPStatus { HTTPStatus(code: 418, reasonPhrase: "I'm a teapot") }
    func response() -> HTTPResponse { .json(Array(#"{"error":"teapot"}"#.utf8), status: status) }
}

struct SecretError: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}

final class RouterTests: XCTestCase {
    private func makeRouter() -> Router<TestContext> {
        let router = Router(context: TestContext.self)
        router.add(middleware: TraceMiddleware(name: "outer"))
        router.get("/items/{id}", metadata: ["summary": "one item"]) { request, _ in
            .text("item \(request.parameters["id"] ?? "")")
        }
        router.put("/items/{id}") { _, _ in .text("put") }
        router.get("/items/special") { _, _ in .text("special") }
        router.get("/items/{id}/parts/{part}") { request, _ in
            .text("\(request.parameters["id"] ?? "")/\(request.parameters["part"] ?? "")")
        }
        router.get("/files/{path...}") { request, _ in .text("file \(request.parameters["path"] ?? "")") }
        let api = router.group("/api/v1", middleware: TraceMiddleware(name: "api"))
        let admin = api.group("admin", middleware: TraceMiddleware(name: "admin"))
        admin.post("/sync") { _, context in .text(context.trail.joined(separator: ">")) }
        api.get("/teapot") { _, _ in throw TeapotError() }
        api.get("/boom") { _, _ in throw SecretError() }
        return router
    }

    private func call(_ responder: Responder<TestContext>, _ method: HTTPMethod, _ target: String)
        async throws
        -> HTTPResponse
    {
        try await responder(
            HTTPRequest(method: method, target: target),
            TestContext(source: RequestContextSource(remoteAddress: "test", logger: Logger(label: "t"))))
    }

    func testParametersLiteralsAndRest() async throws {
        let responder = makeRouter().makeResponder()
        let cases = [
            ("/items/42", "item 42"), ("/items/special", "special"), ("/items/7/parts/wheel", "7/wheel"),
            ("/items/a%2Fb", "item a/b"), ("/files/css/app.css", "file css/app.css"),
            ("/items/42/", "item 42"),
        ]
        for (target, expected) in cases {
            let body = try await call(responder, .get, target).bodyText
            XCTAssertEqual(body, expected, target)
        }
    }

    func testNotFoundAndMethodNotAllowed() async throws {
        let responder = makeRouter().makeResponder()
        let missing = try await call(responder, .get, "/nowhere")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertEqual(missing.headers["X-Trace"], "outer", "router middleware wraps 404s too")
        let wrongMethod = try await call(responder, .delete, "/items/1")
        XCTAssertEqual(wrongMethod.status, .methodNotAllowed)
        XCTAssertEqual(wrongMethod.headers["Allow"], "GET, HEAD, PUT")
        let head = try await call(responder, .head, "/items/1")
        XCTAssertEqual(head.bodyText, "item 1", "HEAD falls back to GET")
    }

    func testMiddlewareOrderOuterToInner() async throws {
        let response = try await call(makeRouter().makeResponder(), .post, "/api/v1/admin/sync")
        XCTAssertEqual(response.bodyText, "outer>api>admin")
        XCTAssertEqual(response.headers.values(for: "X-Trace"), ["admin", "api", "outer"])
    }

    func testRouteTableIsListed() {
        let routes = makeRouter().routes
        XCTAssertTrue(
            routes.contains(RouteDescription(method: .post, pattern: "/api/v1/admin/sync", metadata: [:])))
        XCTAssertEqual(
            routes.first { $0.pattern == "/items/{id}" && $0.method == .get }?.metadata["summary"], "one item"
        )
        XCTAssertEqual(routes.count, 8)
    }

    func testErrorsOverTheWire() async throws {
        let router = makeRouter()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, workers: 1), router: router, logger: logger)
        let port = try await server.start()
        let teapot = try get(port: port, "/api/v1/teapot")
        XCTAssertEqual(teapot.status, 418)
        XCTAssertEqual(teapot.text, #"{"error":"teapot"}"#)
        XCTAssertEqual(teapot.header("Content-Type"), "application/json")
        let boom = try get(port: port, "/api/v1/boom")
        XCTAssertEqual(boom.status, 500)
        XCTAssertFalse(boom.text.contains("hunter2"), "internal errors must not leak")
        XCTAssertEqual(try get(port: port, "/items/9").text, "item 9")
        await server.shutdown()
    }

    func testHandlersRunOnTheEventLoopAndMayAwaitOtherActors() async throws {
        actor Counter {
            var value = 0
            func next() -> Int {
                value += 1
                return value
            }
        }
        let counter = Counter()
        let (server, port) = try await makeTestServer(workers: 2) { router in
            router.get("/count") { _, _ in .text("\(await counter.next())") }
        }
        let values = try await onThread {
            try (0..<50).map { _ in Int(try get(port: port, "/count").text) ?? -1 }
        }
        XCTAssertEqual(values, Array(1...50))
        await server.shutdown()
    }
}
