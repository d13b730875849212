import JSON

/// A path into a JSON value: `identities[0].firstName`, `$.data.items[2]`, `["odd key"].x`.
///
/// The same syntax names template variables (`{{steps.lookup.response.items[0].id}}`), field mapping
/// sources and `expect_json` checks. A leading `$` (the root) is optional; `$` alone is the root
/// itself. Keys are bare names (anything but `. [ ] " '`, whitespace and braces) or quoted with `"` or
/// `'` (backslash escapes the quote and itself); indexes are non-negative integers.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step down.
    public enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    /// Parses `text`; throws an `.invalidPath` error that says what was expected where.
    public init(_ text: String) throws(RequestError) {
        var parser = JSONPathParser(text)
        segments = try parser.parse()
    }

    /// The path written back in a canonical form: bare keys where possible, `["…"]` otherwise.
    public var description: String {
        var text = ""
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where JSONPathParser.isBareKey(key):
                text += position == 0 ? key : "." + key
            case .key(let key):
                text += "[\"" + key.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"]"
            }
        }
        return text.isEmpty ? "$" : text
    }

    /// The description with the root written out: `$.data.id`, `$[0]`, `$`.
    public var rootedDescription: String {
        guard let first = segments.first else { return "$" }
        if case .key(let key) = first, JSONPathParser.isBareKey(key) { return "$." + description }
        return "$" + description
    }

    /// The value at this path, or nil when any step is missing.
    public func value(in root: JSON) -> JSON? {
        walk(root, from: 0)
    }

    /// The value at this path inside an object of named scopes (`config`, `input`, …).
    public func value(in scopes: JSONObject) -> JSON? {
        guard case .key(let first)? = segments.first, let head = scopes[first] else { return nil }
        return walk(head, from: 1)
    }

    private func walk(_ root: JSON, from start: Int) -> JSON? {
        var current = root
        for segment in segments[start...] {
            switch segment {
            case .key(let key):
                guard case .object(let object) = current, let next = object[key] else { return nil }
                current = next
            case .index(let index):
                guard case .array(let array) = current, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// The value at this path, or a sentence saying which step failed and why.
    public func lookup(in root: JSON) -> Result<JSON, PathMiss> {
        var current = root
        for (position, segment) in segments.enumerated() {
            let parent = JSONPath(segments: Array(segments[..<position]))
            switch (segment, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else {
                    let member = JSONPath(segments: [.key(key)]).description
                    let place = position == 0 ? "" : " in \(parent)"
                    return .failure(PathMiss(message: "no member \(member)\(place)"))
                }
                current = next
            case (.index(let index), .array(let array)):
                guard array.indices.contains(index) else {
                    let here = JSONPath(segments: Array(segments[...position]))
                    let items = array.count == 1 ? "1 item" : "\(array.count) items"
                    return .failure(PathMiss(message: "\(here) is out of range (the array has \(items))"))
                }
                current = array[index]
            case (.key, _):
                return .failure(PathMiss(message: "\(parent) is \(Self.kind(of: current)), not an object"))
            case (.index, _):
                return .failure(PathMiss(message: "\(parent) is \(Self.kind(of: current)), not an array"))
            }
        }
        return .success(current)
    }

    static func kind(of value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Why a path found nothing, as a sentence (`identities[0] is out of range (the array has 0 items)`).
public struct PathMiss: Error, Sendable, Hashable {
    public var message: String
}
