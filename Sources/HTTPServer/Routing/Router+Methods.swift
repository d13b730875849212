/// Something routes can be registered on: the router itself or one of its groups.
public protocol RouteRegistrar<Context> {
    associatedtype Context: RequestContext

    /// Registers `handler` for `method` and `path` (relative to the group's prefix).
    @discardableResult
    func on(
        _ method: HTTPMethod, _ path: String, metadata: [String: String],
        handler: @escaping Responder<Context>
    )
        -> Self
}

extension Router: RouteRegistrar {}
extension RouteGroup: RouteRegistrar {}

extension RouteRegistrar {
    @discardableResult
    public func get(_ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>)
        -> Self
    { on(.get, path, metadata: metadata, handler: handler) }

    @discardableResult
    public func head(_ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>)
        -> Self
    { on(.head, path, metadata: metadata, handler: handler) }

    @discardableResult
    public func post(_ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>)
        -> Self
    { on(.post, path, metadata: metadata, handler: handler) }

    @discardableResult
    public func put(_ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>)
        -> Self
    { on(.put, path, metadata: metadata, handler: handler) }

    @discardableResult
    public func patch(_ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>)
        -> Self
    { on(.patch, path, metadata: metadata, handler: handler) }

    @discardableResult
    public func delete(
        _ path: String, metadata: [String: String] = [:], handler: @escaping Responder<Context>
    )
        -> Self
    { on(.delete, path, metadata: metadata, handler: handler) }
}
