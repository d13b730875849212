/// A path pattern split into segments: literals, `{name}` parameters, and a final `{name...}`
/// that captures the rest of the path.
enum PathSegment: Equatable, Sendable {
    case literal(String)
    case parameter(String)
    case rest(String)

    static func parse(_ pattern: String) -> [PathSegment] {
        pattern.split(separator: "/", omittingEmptySubsequences: true).map { piece in
            guard piece.hasPrefix("{"), piece.hasSuffix("}") else { return .literal(String(piece)) }
            let name = piece.dropFirst().dropLast()
            if name.hasSuffix("...") { return .rest(String(name.dropLast(3))) }
            return .parameter(String(name))
        }
    }
}

/// The routing table as a tree of path segments. Literal segments win over parameters, which
/// win over a rest capture; matching backtracks, so `/a/b/c` and `/a/{x}/d` both work.
struct RouteNode<Context: RequestContext>: Sendable {
    var literals: [String: RouteNode] = [:]
    var parameters: [(name: String, node: RouteNode)] = []
    var rest: (name: String, handlers: [HTTPMethod: Responder<Context>])?
    var handlers: [HTTPMethod: Responder<Context>] = [:]

    mutating func insert(
        _ segments: ArraySlice<PathSegment>, method: HTTPMethod, responder: @escaping Responder<Context>
    ) {
        guard let first = segments.first else {
            handlers[method] = responder
            return
        }
        let remaining = segments.dropFirst()
        switch first {
        case .literal(let literal):
            literals[literal, default: RouteNode()].insert(remaining, method: method, responder: responder)
        case .parameter(let name):
            if let index = parameters.firstIndex(where: { $0.name == name }) {
                parameters[index].node.insert(remaining, method: method, responder: responder)
            } else {
                var node = RouteNode()
                node.insert(remaining, method: method, responder: responder)
                parameters.append((name, node))
            }
        case .rest(let name):
            var restHandlers = rest?.handlers ?? [:]
            restHandlers[method] = responder
            rest = (name, restHandlers)
        }
    }

    /// The handlers for the path, with the parameters captured on the way; nil when no pattern
    /// matches.
    func match(_ segments: ArraySlice<String>, parameters captured: inout Parameters)
        -> [HTTPMethod: Responder<Context>]?
    {
        guard let segment = segments.first else { return handlers.isEmpty ? nil : handlers }
        let remaining = segments.dropFirst()
        if let child = literals[segment], let found = child.match(remaining, parameters: &captured) {
            return found
        }
        for parameter in parameters {
            captured.set(parameter.name, segment)
            if let found = parameter.node.match(remaining, parameters: &captured) { return found }
            captured.storage.removeLast()
        }
        if let rest {
            captured.set(rest.name, segments.joined(separator: "/"))
            return rest.handlers
        }
        return nil
    }
}
