import JSON

/// A manifest test's `expect_json`: every path must hold the given value (`{"$.ok": true}`).
public struct JSONExpectation: Sendable, Hashable {
    /// One path and the value it must hold.
    public struct Check: Sendable, Hashable {
        public var path: JSONPath
        public var expected: JSON
    }

    public var checks: [Check]

    /// Compiles an `expect_json` object; throws for a malformed path.
    public init(_ object: JSONObject) throws(RequestError) {
        checks = []
        for (key, expected) in object {
            do {
                checks.append(Check(path: try JSONPath(key), expected: expected))
            } catch {
                throw error.located("expect_json")
            }
        }
    }

    /// One sentence per failed check (`$.ok is false, expected true`); empty when the response passes.
    /// Values are compared as JSON (`1` equals `1.0`, objects without regard to key order).
    public func failures(in response: JSON) -> [String] {
        var failures: [String] = []
        for check in checks {
            let shown = check.path.rootedDescription
            switch check.path.lookup(in: response) {
            case .success(let actual) where actual == check.expected:
                continue
            case .success(let actual):
                failures.append("\(shown) is \(Self.short(actual)), expected \(Self.short(check.expected))")
            case .failure(let miss):
                failures.append("\(shown): \(miss.message), expected \(Self.short(check.expected))")
            }
        }
        return failures
    }

    /// Compact JSON, cut short: responses can be large.
    private static func short(_ value: JSON) -> String {
        let text = value.serializedString()
        return text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}
