import JSON

/// Copies one value out of a JSON response into a named output field:
/// `{"source_path": "identities[0].firstName", "target_field": "firstname"}`.
///
/// Targets may be dotted (`address.city`) to build nested output objects.
public struct FieldMapping: Sendable, Hashable {
    public var source: JSONPath
    /// The output field, as written (`address.city`).
    public var target: String
    let targetKeys: [String]

    /// Compiles a mapping; throws an `.invalidPath` error for a malformed source or target.
    public init(source: String, target: String) throws(RequestError) {
        self.source = try JSONPath(source)
        self.target = target
        targetKeys = target.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !target.isEmpty, !targetKeys.contains(where: \.isEmpty) else {
            throw RequestError(.invalidPath, "invalid target field '\(target)'")
        }
    }

    /// Mappings from a config list of `{source_path, target_field}` (or `sourcePath`/`targetField`).
    public static func list(_ value: JSON?) throws(RequestError) -> [FieldMapping] {
        guard let value, !value.isNull else { return [] }
        guard case .array(let items) = value else {
            throw .invalidRequest("field_mappings: expected a list of {source_path, target_field}")
        }
        var mappings: [FieldMapping] = []
        for (index, item) in items.enumerated() {
            guard let source = (item["source_path"] ?? item["sourcePath"])?.string,
                let target = (item["target_field"] ?? item["targetField"])?.string
            else {
                throw .invalidRequest("field_mappings[\(index)]: needs source_path and target_field")
            }
            do {
                mappings.append(try FieldMapping(source: source, target: target))
            } catch {
                throw error.located("field_mappings[\(index)]")
            }
        }
        return mappings
    }

    /// Applies `mappings` in order to `response`. A path that finds nothing, or a target that collides
    /// with a value already mapped, is reported for that mapping and skipped.
    public static func apply(_ mappings: [FieldMapping], to response: JSON) -> FieldMappingResult {
        var result = FieldMappingResult(mapped: JSONObject(), problems: [])
        for mapping in mappings {
            switch mapping.source.lookup(in: response) {
            case .success(let value):
                if let message = assign(value, at: mapping.targetKeys[...], in: &result.mapped) {
                    result.problems.append(FieldMappingProblem(mapping: mapping, message: message))
                }
            case .failure(let miss):
                result.problems.append(FieldMappingProblem(mapping: mapping, message: miss.message))
            }
        }
        return result
    }

    /// Applies `mappings` to a response body, reporting every mapping when it is not JSON.
    public static func apply(_ mappings: [FieldMapping], toBody body: [UInt8]) -> FieldMappingResult {
        guard let response = try? JSON(parsing: body) else {
            let problems = mappings.map {
                FieldMappingProblem(mapping: $0, message: "the response is not JSON")
            }
            return FieldMappingResult(mapped: JSONObject(), problems: problems)
        }
        return apply(mappings, to: response)
    }

    /// Sets `value` at the nested keys, creating objects on the way; a message when the way is blocked.
    private static func assign(_ value: JSON, at keys: ArraySlice<String>, in object: inout JSONObject)
        -> String?
    {
        guard let key = keys.first else { return nil }
        if keys.count == 1 {
            object[key] = value
            return nil
        }
        var child: JSONObject
        switch object[key] {
        case nil: child = JSONObject()
        case .object(let existing)?: child = existing
        case let other?: return "target \(key) already holds \(JSONPath.kind(of: other))"
        }
        let problem = assign(value, at: keys.dropFirst(), in: &child)
        object[key] = .object(child)
        return problem
    }
}

/// One mapping that found nothing, and why; the run itself still succeeds.
public struct FieldMappingProblem: Sendable, Hashable {
    public var mapping: FieldMapping
    public var message: String
}

/// What a set of mappings made of a response.
public struct FieldMappingResult: Sendable, Hashable {
    public var mapped: JSONObject
    public var problems: [FieldMappingProblem]
}
