/// A route as registered, for listing the table (tests, OpenAPI documents).
public struct RouteDescription: Sendable, Hashable {
    public var method: HTTPMethod
    /// The full pattern, e.g. `/api/v1/connectors/{id}`.
    public var pattern: String
    /// Whatever the app attached (summary, tag, operation id...).
    public var metadata: [String: String]

    public init(method: HTTPMethod, pattern: String, metadata: [String: String] = [:]) {
        self.method = method
        self.pattern = pattern
        self.metadata = metadata
    }
}

/// Maps method + path to handlers. Build it up front, then hand it to ``HTTPServer``:
///
/// ```swift
/// let router = Router(context: AppContext.self)
/// router.add(middleware: LogMiddleware())
/// router.get("/healthz") { _, _ in .text("ok") }
/// let api = router.group("/api/v1", middleware: AuthMiddleware())
/// api.get("/connectors/{id}") { request, context in ... request.parameters["id"] ... }
/// ```
///
/// Unknown paths get 404; a known path with another method gets 405 with `Allow`. HEAD falls
/// back to the GET handler (the server drops the body). Router middleware wraps every request,
/// 404s included; group middleware wraps only that group's routes.
public final class Router<Context: RequestContext> {
    private var root = RouteNode<Context>()
    private var middlewares: [any Middleware<Context>] = []
    /// Every registered route, in registration order.
    public private(set) var routes: [RouteDescription] = []

    public init(context: Context.Type = Context.self) {}

    /// Adds middleware around every request; the first added runs first.
    public func add(middleware: any Middleware<Context>) {
        middlewares.append(middleware)
    }

    /// Registers `handler` for `method` and `path`.
    @discardableResult
    public func on(
        _ method: HTTPMethod, _ path: String, metadata: [String: String] = [:],
        handler: @escaping Responder<Context>
    ) -> Self {
        register(method, path, middlewares: [], metadata: metadata, handler: handler)
        return self
    }

    /// A group of routes under `prefix` sharing `middleware` (outermost first).
    public func group(_ prefix: String, middleware: any Middleware<Context>...) -> RouteGroup<Context> {
        RouteGroup(router: self, prefix: Self.join("", prefix), middlewares: middleware)
    }

    func register(
        _ method: HTTPMethod, _ path: String, middlewares: [any Middleware<Context>],
        metadata: [String: String], handler: @escaping Responder<Context>
    ) {
        let pattern = Self.join("", path)
        let chain = MiddlewareChain(middlewares: middlewares, endpoint: handler)
        root.insert(PathSegment.parse(pattern)[...], method: method, responder: chain.responder)
        routes.append(RouteDescription(method: method, pattern: pattern, metadata: metadata))
    }

    /// The routing table frozen into a responder.
    public func makeResponder() -> Responder<Context> {
        let table = root
        let dispatch: Responder<Context> = { request, context in
            try await Self.dispatch(request, context, table: table)
        }
        return MiddlewareChain(middlewares: middlewares, endpoint: dispatch).responder
    }

    private static func dispatch(_ request: HTTPRequest, _ context: Context, table: RouteNode<Context>)
        async throws -> HTTPResponse
    {
        var request = request
        var captured = Parameters()
        guard let handlers = table.match(segments(of: request.rawPath), parameters: &captured) else {
            return .text("Not Found\n", status: .notFound)
        }
        let handler = handlers[request.method] ?? (request.method == .head ? handlers[.get] : nil)
        guard let handler else {
            var allowed = Set(handlers.keys.map(\.rawValue))
            if allowed.contains("GET") { allowed.insert("HEAD") }
            var response = HTTPResponse.text("Method Not Allowed\n", status: .methodNotAllowed)
            response.headers["Allow"] = allowed.sorted().joined(separator: ", ")
            return response
        }
        request.parameters = captured
        return try await handler(request, context)
    }

    /// Splits the raw path and decodes each segment, so `%2F` stays inside its segment.
    static func segments(of rawPath: String) -> ArraySlice<String> {
        rawPath.utf8.split(separator: ASCII.slash, omittingEmptySubsequences: true).map { piece in
            piece.contains(ASCII.percent)
                ? (PercentEncoding.decode(piece) ?? String(decoding: piece, as: UTF8.self))
                : String(decoding: piece, as: UTF8.self)
        }[...]
    }

    static func join(_ prefix: String, _ path: String) -> String {
        let parts = (prefix.split(separator: "/") + path.split(separator: "/")).joined(separator: "/")
        return "/" + parts
    }
}

/// Routes under a common prefix with shared middleware; groups nest.
public struct RouteGroup<Context: RequestContext> {
    let router: Router<Context>
    let prefix: String
    let middlewares: [any Middleware<Context>]

    /// Registers `handler` for `method` and `prefix + path`.
    @discardableResult
    public func on(
        _ method: HTTPMethod, _ path: String, metadata: [String: String] = [:],
        handler: @escaping Responder<Context>
    ) -> Self {
        router.register(
            method, Router<Context>.join(prefix, path), middlewares: middlewares, metadata: metadata,
            handler: handler)
        return self
    }

    /// A nested group; its middleware runs inside this group's.
    public func group(_ prefix: String, middleware: any Middleware<Context>...) -> RouteGroup<Context> {
        RouteGroup(
            router: router, prefix: Router<Context>.join(self.prefix, prefix),
            middlewares: middlewares + middleware)
    }
}
