import JSON

/// Applies compiled nodes to an instance. In recording mode it collects every error with its
/// location; otherwise it stops at the first failure. Branches of `anyOf`/`oneOf`/`not`/`if` are
/// first probed without recording, so valid input never pays for building messages.
struct Validator {
    let schema: Schema
    var isRecording: Bool
    var errors: [ValidationError] = []
    /// Where in the instance we are (maintained only while recording).
    var path: [PathComponent] = []
    /// Schema resources entered, outermost first, for `$dynamicRef`.
    var dynamicScope: [Int] = []
    private var depth = 0

    /// Deep enough for any sensible schema, shallow enough to stop a reference loop long before the stack.
    static let maxDepth = 400

    init(schema: Schema, isRecording: Bool) {
        self.schema = schema
        self.isRecording = isRecording
    }

    /// Whether `instance` satisfies node `id`. When `annotations` is non-nil, what the node evaluated
    /// is merged into it (only if valid).
    mutating func validate(_ id: NodeID, _ instance: JSON, annotations: inout Annotations?) -> Bool {
        let node = schema.nodes[id]
        switch node.body {
        case .alwaysValid:
            return true
        case .alwaysInvalid:
            report(node, keyword: "false", "is not allowed")
            return false
        case .keywords(let keywords):
            guard depth < Self.maxDepth else {
                report(node, keyword: "$ref", "could not be checked: the schema refers to itself too deeply")
                return false
            }
            depth += 1
            let entersResource = schema.usesDynamicScope && dynamicScope.last != node.resource
            if entersResource { dynamicScope.append(node.resource) }
            var local: Annotations? = annotations != nil || node.needsAnnotations ? Annotations() : nil
            var isValid = true
            for keyword in keywords where !apply(keyword, of: node, to: instance, annotations: &local) {
                isValid = false
                if !isRecording { break }
            }
            if entersResource { dynamicScope.removeLast() }
            depth -= 1
            if isValid, annotations != nil, let local { annotations?.merge(local) }
            return isValid
        }
    }

    /// Validates without recording errors, whatever the current mode.
    mutating func probe(_ id: NodeID, _ instance: JSON, annotations: inout Annotations?) -> Bool {
        let wasRecording = isRecording
        isRecording = false
        defer { isRecording = wasRecording }
        return validate(id, instance, annotations: &annotations)
    }

    /// Validates a member or element, with the path extended while recording.
    mutating func validate(_ id: NodeID, _ instance: JSON, at component: PathComponent) -> Bool {
        var none: Annotations? = nil
        guard isRecording else { return validate(id, instance, annotations: &none) }
        path.append(component)
        defer { path.removeLast() }
        return validate(id, instance, annotations: &none)
    }

    mutating func apply(
        _ keyword: Keyword, of node: SchemaNode, to instance: JSON, annotations: inout Annotations?
    )
        -> Bool
    {
        switch keyword {
        case .type(let types):
            guard types.admits(instance) else { return fail(node, "type", Messages.type(types)) }
            return true
        case .enumeration(let values):
            guard values.contains(instance) else { return fail(node, "enum", Messages.oneOfValues(values)) }
            return true
        case .constant(let value):
            guard value == instance else { return fail(node, "const", Messages.constant(value)) }
            return true
        case .minLength, .maxLength, .pattern, .format:
            guard case .string(let text) = instance else { return true }
            return applyString(keyword, of: node, to: text)
        case .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum, .multipleOf:
            guard instance.isNumber else { return true }
            return applyNumber(keyword, of: node, to: instance)
        case .minItems, .maxItems, .uniqueItems, .prefixItems, .items, .contains, .unevaluatedItems:
            guard case .array(let elements) = instance else { return true }
            return applyArray(keyword, of: node, to: elements, annotations: &annotations)
        case .objectMembers, .propertyNames, .required, .minProperties, .maxProperties, .dependentRequired,
            .dependentSchemas, .unevaluatedProperties:
            guard case .object(let object) = instance else { return true }
            return applyObject(keyword, of: node, to: object, instance: instance, annotations: &annotations)
        case .allOf, .anyOf, .oneOf, .not, .conditional:
            return applyLogic(keyword, of: node, to: instance, annotations: &annotations)
        case .ref(let target):
            return validate(target, instance, annotations: &annotations)
        case .dynamicRef(let target, let anchor):
            return validate(dynamicTarget(target, anchor: anchor), instance, annotations: &annotations)
        }
    }

    /// The outermost resource in the dynamic scope that declares the anchor wins; else the static target.
    private func dynamicTarget(_ target: NodeID, anchor: String?) -> NodeID {
        guard let anchor else { return target }
        for resource in dynamicScope {
            if let node = schema.dynamicAnchors[resource]?[anchor] { return node }
        }
        return target
    }

    // MARK: Reporting

    /// Records an error at the current path (plus `component`, if given) and returns false.
    mutating func fail(
        _ node: SchemaNode, _ keyword: String, _ message: String, at component: PathComponent? = nil
    )
        -> Bool
    {
        report(node, keyword: keyword, message, at: component)
        return false
    }

    mutating func report(
        _ node: SchemaNode, keyword: String, _ message: String, at component: PathComponent? = nil
    ) {
        guard isRecording else { return }
        var location = path
        if let component { location.append(component) }
        errors.append(
            ValidationError(
                instanceLocation: PathComponent.pointer(location),
                fieldPath: PathComponent.fieldPath(location),
                keyword: keyword,
                schemaLocation: keyword == "false" ? node.location : node.location + "/" + keyword,
                message: message))
    }
}
