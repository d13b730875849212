import JSON

/// A JSON value whose strings are templates: the body of a manifest request.
///
/// A string that is exactly one tag takes the value's own JSON type; when that value is absent the
/// member (or array item) is left out, and an object emptied that way is left out too. Other strings
/// render as text and become JSON strings, escaped by the serializer. Keys are literal.
struct JSONTemplate: Sendable, Hashable {
    indirect enum Node: Sendable, Hashable {
        /// A subtree with no templates in it.
        case literal(JSON)
        case template(RequestTemplate)
        case array([Node])
        case object([Member])
    }

    struct Member: Sendable, Hashable {
        var key: String
        var value: Node
    }

    let root: Node

    /// Compiles every string in `value`; errors say where (`body.data.name: unclosed tag at offset 3`).
    init(compiling value: JSON, location: String = "body") throws(RequestError) {
        root = try Self.compile(value, at: location)
    }

    private static func compile(_ value: JSON, at location: String) throws(RequestError) -> Node {
        switch value {
        case .string(let text) where text.contains("{{"):
            do {
                return .template(try RequestTemplate(text))
            } catch {
                throw error.located(location)
            }
        case .array(let items):
            var nodes: [Node] = []
            for (index, item) in items.enumerated() {
                nodes.append(try compile(item, at: "\(location)[\(index)]"))
            }
            return nodes.allSatisfy(\.isLiteral) ? .literal(value) : .array(nodes)
        case .object(let object):
            var members: [Member] = []
            for (key, item) in object {
                let child = JSONPath(segments: [.key(key)]).description
                members.append(Member(key: key, value: try compile(item, at: "\(location).\(child)")))
            }
            return members.allSatisfy(\.value.isLiteral) ? .literal(value) : .object(members)
        default:
            return .literal(value)
        }
    }

    /// Every template in the body, in order, for checks that want to inspect them.
    var templates: [RequestTemplate] {
        var found: [RequestTemplate] = []
        root.collectTemplates(into: &found)
        return found
    }

    /// The body's value. Absent sole tags are dropped (`dropsAbsent`) or fail the render; variables in
    /// longer strings must be present (or defaulted, or inside sections). Nil when the whole body is
    /// one absent tag; an object body emptied by drops stays `{}`.
    func evaluate(_ scopes: JSONObject, dropsAbsent: Bool, location: String = "body") throws(RequestError)
        -> JSON?
    {
        let value = try root.evaluate(scopes, dropsAbsent: dropsAbsent, at: location)
        if value == nil, case .object = root { return .object(JSONObject()) }
        return value
    }
}

extension JSONTemplate.Node {
    var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }

    func collectTemplates(into found: inout [RequestTemplate]) {
        switch self {
        case .literal: return
        case .template(let template): found.append(template)
        case .array(let nodes): for node in nodes { node.collectTemplates(into: &found) }
        case .object(let members): for member in members { member.value.collectTemplates(into: &found) }
        }
    }

    func evaluate(_ scopes: JSONObject, dropsAbsent: Bool, at location: String) throws(RequestError) -> JSON?
    {
        switch self {
        case .literal(let value):
            return value
        case .template(let template):
            do {
                return try template.evaluate(
                    scopes, missing: dropsAbsent && template.isSoleTag ? .empty : .error)
            } catch {
                throw error.located(location)
            }
        case .array(let nodes):
            var items: [JSON] = []
            items.reserveCapacity(nodes.count)
            for (index, node) in nodes.enumerated() {
                if let item = try node.evaluate(scopes, dropsAbsent: dropsAbsent, at: "\(location)[\(index)]")
                {
                    items.append(item)
                }
            }
            return .array(items)
        case .object(let members):
            var object = JSONObject()
            var droppedAny = false
            for member in members {
                let child = "\(location).\(JSONPath(segments: [.key(member.key)]))"
                if let value = try member.value.evaluate(scopes, dropsAbsent: dropsAbsent, at: child) {
                    object[member.key] = value
                } else {
                    droppedAny = true
                }
            }
            return droppedAny && object.isEmpty ? nil : .object(object)
        }
    }
}
