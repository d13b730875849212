import Foundation
import HTTPServer
import JSON
import Logging
import Synchronization

/// The API a custom connector calls in the builder tests: our own HTTP server on 127.0.0.1 (port 0),
/// recording every request it receives.
///
/// - `GET /people/{id}` answers JSON with the id, a list of identities (one key holds a space) and
///   the `Authorization` header it got, as a careless server would echo it.
/// - `GET /flaky` answers 503 every time.
final class BuilderUpstream: Sendable {
    struct Received: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var headers: [String: String]
    }

    /// Shared by the routes and the tests.
    final class Log: Sendable {
        let entries = Mutex<[Received]>([])

        func record(_ request: HTTPRequest) {
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.lowercased()] = field.value }
            let query = Dictionary(request.query.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let entry = Received(
                method: request.method.rawValue, path: request.path, query: query, headers: headers)
            entries.withLock { $0.append(entry) }
        }
    }

    private let server: HTTPServer
    private let log: Log
    let port: Int

    static func start() async throws -> BuilderUpstream {
        let log = Log()
        let router = Router(context: BasicRequestContext.self)
        router.get("/people/{id}") { request, _ in
            log.record(request)
            let body: JSON = [
                "id": .string(request.parameters["id"] ?? ""),
                "identities": [["firstName": "Ada", "first name": "Ada L."]],
                "echo": .string(request.headers["Authorization"] ?? ""),
            ]
            return .json(body.serialized())
        }
        router.get("/flaky") { request, _ in
            log.record(request)
            return .text("try later", status: .serviceUnavailable)
        }
        var logger = Logger(label: "test.upstream")
        logger.logLevel = .critical
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workers: 1, shutdownGracePeriod: .seconds(1)),
            router: router, logger: logger)
        let port = try await server.start()
        return BuilderUpstream(server: server, log: log, port: port)
    }

    private init(server: HTTPServer, log: Log, port: Int) {
        self.server = server
        self.log = log
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var received: [Received] { log.entries.withLock { $0 } }

    func stop() async { await server.shutdown() }
}
