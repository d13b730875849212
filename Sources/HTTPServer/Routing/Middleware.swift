/// Code that runs around handlers: it may change the request or context before calling `next`,
/// change the response after, or answer by itself without calling `next`.
public protocol Middleware<Context>: Sendable {
    associatedtype Context: RequestContext
    func handle(
        _ request: HTTPRequest, context: Context,
        next: (HTTPRequest, Context) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}

/// A middleware from a closure, for small cross-cutting bits.
public struct MiddlewareClosure<Context: RequestContext>: Middleware {
    public typealias Body =
        @Sendable (
            HTTPRequest, Context, (HTTPRequest, Context) async throws -> HTTPResponse
        ) async throws -> HTTPResponse

    private let body: Body

    public init(_ body: @escaping Body) { self.body = body }

    public func handle(
        _ request: HTTPRequest, context: Context,
        next: (HTTPRequest, Context) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        try await body(request, context, next)
    }
}

/// Middleware in order (the first is outermost) in front of an endpoint.
struct MiddlewareChain<Context: RequestContext>: Sendable {
    let middlewares: [any Middleware<Context>]
    let endpoint: Responder<Context>

    func respond(_ request: HTTPRequest, _ context: Context) async throws -> HTTPResponse {
        try await run(0, request, context)
    }

    private func run(_ index: Int, _ request: HTTPRequest, _ context: Context) async throws -> HTTPResponse {
        guard index < middlewares.count else { return try await endpoint(request, context) }
        return try await middlewares[index].handle(request, context: context) { request, context in
            try await run(index + 1, request, context)
        }
    }

    /// The chain as a responder; with no middleware, the endpoint itself.
    var responder: Responder<Context> {
        if middlewares.isEmpty { return endpoint }
        let chain = self
        return { request, context in try await chain.respond(request, context) }
    }
}
