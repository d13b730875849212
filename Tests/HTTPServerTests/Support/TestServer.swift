import HTTPServer
import Logging
import XCTest

/// Starts a server on an ephemeral port with short timeouts suited to tests.
func makeTestServer(
    workers: Int = 1, configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    routes: (Router<BasicRequestContext>) -> Void
) async throws -> (HTTPServer, Int) {
    var configuration = HTTPServerConfiguration(
        host: "127.0.0.1", port: 0, workers: workers, headerTimeout: .seconds(2), idleTimeout: .seconds(5),
        shutdownGracePeriod: .seconds(2))
    configure(&configuration)
    let router = Router(context: BasicRequestContext.self)
    routes(router)
    var logger = Logger(label: "test-server")
    logger.logLevel = .critical
    let server = HTTPServer(configuration: configuration, router: router, logger: logger)
    let port = try await server.start()
    return (server, port)
}

/// The routes most server tests use.
func standardRoutes(_ router: Router<BasicRequestContext>) {
    router.get("/healthz") { _, _ in .text("ok") }
    router.get("/hello/{name}") { request, _ in .text("hello \(request.parameters["name"] ?? "?")") }
    router.post("/echo") { request, _ in
        HTTPResponse(headers: ["X-Body-Length": "\(request.body.count)"], body: request.body)
    }
    router.get("/path") { request, _ in .text(request.path) }
    router.get("/query") { request, _ in
        .text(request.query.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ";"))
    }
    router.get("/slow") { request, _ in
        let milliseconds = request.query.get("ms", as: Int.self) ?? 200
        try await Task.sleep(for: .milliseconds(milliseconds))
        return .text("slow done")
    }
    router.get("/big") { request, _ in
        let size = request.query.get("size", as: Int.self) ?? 1 << 20
        return HTTPResponse(body: [UInt8](repeating: 0x61, count: size))
    }
}
