import HTTPServer
import Synchronization
import XCTest

final class ContextTests: XCTestCase {
    struct AppContext: RequestContext {
        var source: RequestContextSource
        var user: String?
        init(source: RequestContextSource) { self.source = source }
    }

    struct AuthMiddleware: Middleware {
        func handle(
            _ request: HTTPRequest, context: AppContext,
            next: (HTTPRequest, AppContext) async throws -> HTTPResponse
        ) async throws -> HTTPResponse {
            guard let user = request.headers["X-User"] else { return .text("who?", status: .unauthorized) }
            var context = context
            context.user = user
            return try await next(request, context)
        }
    }

    func testAppContextCarriesSourceAndMiddlewareState() async throws {
        let router = Router(context: AppContext.self)
        let seen = Mutex<Set<String>>([])
        router.group("/me", middleware: AuthMiddleware()).get("/") { _, context in
            seen.withLock { _ = $0.insert(context.source.requestID) }
            return .text("\(context.user ?? "") from \(context.source.remoteAddress)")
        }
        router.post("/login") { _, _ in
            var response = HTTPResponse.redirect(to: "/me")
            response.setCookie("session", "s1")
            return response
        }
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, workers: 2), router: router)
        let port = try await server.start()
        try await onThread {
            XCTAssertEqual(try get(port: port, "/me").status, 401)
            for _ in 0..<10 {
                XCTAssertEqual(
                    try get(port: port, "/me", headers: "X-User: ada\r\n").text, "ada from 127.0.0.1")
            }
            let login = try fetch(port: port, "POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
            XCTAssertEqual(login.status, 303)
            XCTAssertEqual(login.header("Location"), "/me")
            XCTAssertEqual(login.header("Set-Cookie"), "session=s1; Path=/; HttpOnly; SameSite=Lax")
        }
        XCTAssertEqual(seen.withLock { $0.count }, 10, "request IDs are unique")
        await server.shutdown()
    }
}
