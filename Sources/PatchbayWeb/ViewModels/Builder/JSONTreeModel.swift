import JSON
import Patchbay
import Templating

/// A JSON response as an expandable tree for `partials/builder-json-node`: objects and arrays are
/// `<details>`, every scalar a button carrying its path in the syntax field mappings read
/// (`$.identities[0].firstName`, `$["first name"]`), written by `JSONPath` itself so the two agree.
struct JSONTreeModel {
    /// Values shown at most; a bigger response is cut (the raw text stays available).
    var maxNodes = 400
    /// Levels open from the start; deeper ones open on a click.
    var openLevels = 2
    /// Longest string shown in full.
    var maxTextLength = 120

    private(set) var count = 0
    private(set) var isCut = false

    /// The root's members (or a lone value) as nodes.
    mutating func nodes(of root: JSON) -> [TemplateValue] {
        count = 0
        isCut = false
        switch root {
        case .object, .array: return children(of: root, at: [], depth: 0)
        default: return [node(label: "$", value: root, at: [], depth: 0)]
        }
    }

    private mutating func children(of value: JSON, at path: [JSONPath.Segment], depth: Int) -> [TemplateValue]
    {
        var result: [TemplateValue] = []
        let members: [(String, JSONPath.Segment, JSON)] =
            switch value {
            case .object(let object): object.map { ($0.key, .key($0.key), $0.value) }
            case .array(let items):
                items.enumerated().map { ("[\($0.offset)]", .index($0.offset), $0.element) }
            default: []
            }
        for (label, segment, member) in members {
            guard count < maxNodes else {
                isCut = true
                break
            }
            result.append(node(label: label, value: member, at: path + [segment], depth: depth))
        }
        return result
    }

    private mutating func node(label: String, value: JSON, at path: [JSONPath.Segment], depth: Int)
        -> TemplateValue
    {
        count += 1
        var object: [String: TemplateValue] = [
            "label": .string(label), "path": .string(JSONPath(segments: path).rootedDescription),
            "target": .string(Self.targetName(for: path)), "is_leaf": true,
            "value_text": .string(value.serializedString()), "value_kind": .string(Self.kind(of: value)),
            "summary": "", "is_open": false, "children": [],
        ]
        switch value {
        case .object(let members):
            object["summary"] = .string(members.count == 1 ? "1 field" : "\(members.count) fields")
        case .array(let items):
            object["summary"] = .string(items.count == 1 ? "1 item" : "\(items.count) items")
        case .string(let text) where text.count > maxTextLength:
            object["value_text"] = .string(
                JSON.string(String(text.prefix(maxTextLength))).serializedString() + "…")
            return .object(TemplateObject(object))
        default:
            return .object(TemplateObject(object))
        }
        object["is_leaf"] = false
        object["value_text"] = ""
        object["is_open"] = .bool(depth < openLevels)
        object["children"] = .list(children(of: value, at: path, depth: depth + 1))
        return .object(TemplateObject(object))
    }

    private static func kind(of value: JSON) -> String {
        switch value {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .int, .double: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// A target field name suggested for a value: its key, or its array's key and index, made fit
    /// for `^[A-Za-z_][A-Za-z0-9_]*$` (`first name` → `first_name`, `tags[2]` → `tags_2`).
    static func targetName(for path: [JSONPath.Segment]) -> String {
        var name = ""
        var indexes: [Int] = []
        for segment in path.reversed() {
            if case .index(let index) = segment {
                indexes.insert(index, at: 0)
                continue
            }
            if case .key(let key) = segment { name = key }
            break
        }
        if name.isEmpty { name = "value" }
        name += indexes.map { "_\($0)" }.joined()
        var cleaned = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
                    ? Character(scalar) : "_"
            })
        if let first = cleaned.first, first.isNumber { cleaned = "_" + cleaned }
        return cleaned
    }
}
