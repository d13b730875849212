import Foundation
import HTTPServer
import JSON
import Synchronization

/// An HTTP server on 127.0.0.1 (port 0) that connectors under test call: it records every request
/// and answers with what it received — `{"method", "path", "query", "headers", "body"}` — so a test
/// can check both what reached the wire and that an echoed credential never comes back out of
/// Patchbay. A path can be given a fixed answer instead (`reply`).
public final class EchoHTTPServer: Sendable {
    /// One request as the server read it.
    public struct Received: Sendable {
        public var method: String
        public var path: String
        /// The raw request target (path and encoded query).
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// A fixed answer for a path.
    public struct Reply: Sendable {
        public var status: Int
        public var json: String
        /// How long the server waits before answering.
        public var delay: Duration
        /// A `Location` header (for redirects).
        public var location: String?

        public init(status: Int = 200, json: String, delay: Duration = .zero, location: String? = nil) {
            self.status = status
            self.json = json
            self.delay = delay
            self.location = location
        }
    }

    private struct State {
        var received: [Received] = []
        var replies: [String: Reply] = [:]
    }

    /// The state the handler and the test share.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let server: HTTPServer
    private let shared: Shared
    public let port: Int

    public static func start() async throws -> EchoHTTPServer {
        let shared = Shared()
        let router = Router(context: BasicRequestContext.self)
        router.add(
            middleware: MiddlewareClosure<BasicRequestContext> { request, _, _ in
                let (response, delay) = Self.answer(request, shared)
                if delay > .zero { try? await Task.sleep(for: delay) }
                return response
            })
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workers: 1, shutdownGracePeriod: .seconds(1)),
            router: router)
        let port = try await server.start()
        return EchoHTTPServer(server: server, shared: shared, port: port)
    }

    private init(server: HTTPServer, shared: Shared, port: Int) {
        self.server = server
        self.shared = shared
        self.port = port
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Answers requests for `path` with `reply` instead of the echo.
    public func reply(_ path: String, _ reply: Reply) {
        shared.state.withLock { $0.replies[path] = reply }
    }

    /// Every request so far, in order.
    public var received: [Received] { shared.state.withLock { $0.received } }

    /// The requests for `path`.
    public func received(_ path: String) -> [Received] { received.filter { $0.path == path } }

    public func stop() async { await server.shutdown() }

    /// The response to `request`, and how long to wait before sending it.
    private static func answer(_ request: HTTPRequest, _ shared: Shared) -> (HTTPResponse, Duration) {
        let received = Received(
            method: request.method.rawValue, path: request.path, target: request.target,
            headers: request.headers.map { ($0.name, $0.value) }, body: request.bodyText)
        let reply = shared.state.withLock { state in
            state.received.append(received)
            return state.replies[request.path]
        }
        if let reply {
            var response = HTTPResponse.json(Array(reply.json.utf8), status: HTTPStatus(code: reply.status))
            if let location = reply.location { response.headers.add(name: "Location", value: location) }
            return (response, reply.delay)
        }
        var query = JSONObject()
        for pair in request.query { query[pair.name] = .string(pair.value) }
        var headers = JSONObject()
        for field in request.headers { headers[field.name.lowercased()] = .string(field.value) }
        let echo: JSON = [
            "method": .string(received.method), "path": .string(received.path), "query": .object(query),
            "headers": .object(headers), "body": .string(received.body),
        ]
        return (.json(echo.serialized()), .zero)
    }
}
