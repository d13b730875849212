import JSON

extension Validator {
    mutating func applyObject(
        _ keyword: Keyword, of node: SchemaNode, to object: JSONObject, instance: JSON,
        annotations: inout Annotations?
    ) -> Bool {
        switch keyword {
        case .objectMembers(let rule):
            return applyMembers(rule, of: node, to: object, annotations: &annotations)
        case .propertyNames(let child):
            var isValid = true
            for key in object.keys {
                let before = errors.count
                var none: Annotations? = nil
                guard !validate(child, .string(key), annotations: &none) else { continue }
                isValid = false
                if !isRecording { return false }
                for index in before..<errors.count {
                    let error = errors[index]
                    errors[index] = ValidationError(
                        instanceLocation: error.instanceLocation, fieldPath: error.fieldPath,
                        keyword: "propertyNames",
                        schemaLocation: error.schemaLocation,
                        message: "has an invalid name '\(key)': \(error.message)")
                }
            }
            return isValid
        case .required(let names):
            var isValid = true
            for name in names where !object.contains(name) {
                isValid = fail(node, "required", "is required", at: .key(name))
                if !isRecording { return false }
            }
            return isValid
        case .minProperties(let limit):
            if object.count < limit {
                return fail(node, "minProperties", Messages.count("property", atLeast: limit))
            }
        case .maxProperties(let limit):
            if object.count > limit {
                return fail(node, "maxProperties", Messages.count("property", atMost: limit))
            }
        case .dependentRequired(let rules):
            var isValid = true
            for (property, required) in rules where object.contains(property) {
                for name in required where !object.contains(name) {
                    isValid = fail(
                        node, "dependentRequired", "is required when '\(property)' is set", at: .key(name))
                    if !isRecording { return false }
                }
            }
            return isValid
        case .dependentSchemas(let rules):
            var isValid = true
            for (property, child) in rules where object.contains(property) {
                if !validate(child, instance, annotations: &annotations) {
                    isValid = false
                    if !isRecording { return false }
                }
            }
            return isValid
        case .unevaluatedProperties(let child):
            var isValid = true
            for (key, value) in object where annotations?.properties.contains(key) != true {
                if !validateMember(child, value, key: key, of: node, keyword: "unevaluatedProperties") {
                    isValid = false
                    if !isRecording { return false }
                }
                annotations?.properties.insert(key)
            }
            return isValid
        default:
            break
        }
        return true
    }

    /// `properties`, `patternProperties` and `additionalProperties` in one pass over the members.
    private mutating func applyMembers(
        _ rule: ObjectMembersRule, of node: SchemaNode, to object: JSONObject, annotations: inout Annotations?
    ) -> Bool {
        var isValid = true
        for (key, value) in object {
            var isMatched = false
            if let child = rule.properties[key] {
                isMatched = true
                if !validate(child, value, at: .key(key)) {
                    isValid = false
                    if !isRecording { return false }
                }
            }
            for (regex, child) in rule.patterns where regex.search(key) == .match {
                isMatched = true
                if !validate(child, value, at: .key(key)) {
                    isValid = false
                    if !isRecording { return false }
                }
            }
            if !isMatched, let additional = rule.additional {
                isMatched = true
                if !validateMember(additional, value, key: key, of: node, keyword: "additionalProperties") {
                    isValid = false
                    if !isRecording { return false }
                }
            }
            if isMatched { annotations?.properties.insert(key) }
        }
        return isValid
    }

    /// Validates a member against a catch-all schema; a `false` schema reads "is not allowed" at the member.
    private mutating func validateMember(
        _ child: NodeID, _ value: JSON, key: String, of node: SchemaNode, keyword: String
    )
        -> Bool
    {
        if case .alwaysInvalid = schema.nodes[child].body {
            return fail(node, keyword, "is not allowed", at: .key(key))
        }
        return validate(child, value, at: .key(key))
    }
}
