extension Router {
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

extension RouteGroup {
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
