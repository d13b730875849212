import JSON

extension FormBuilder {
    mutating func kind(of view: SchemaView, name: String, path: String) -> FormFieldKind {
        if let options = selectOptions(view) { return .select(options) }
        let branches = branchLocations(view)
        let type = view.type ?? inferredType(view)
        switch type {
        case "boolean":
            return .checkbox
        case "integer", "number":
            let isInteger = type == "integer"
            return .number(
                NumberInput(
                    isInteger: isInteger, minimum: view["minimum"] ?? view["exclusiveMinimum"],
                    maximum: view["maximum"] ?? view["exclusiveMaximum"],
                    step: view["multipleOf"] ?? (isInteger ? .int(1) : nil)))
        case "array":
            return arrayKind(view, name: name, path: path)
        case "object":
            let branchesHaveFields = branches.allSatisfy { !index.view(at: $0).properties.isEmpty }
            if !branches.isEmpty, branchesHaveFields, view.properties.isEmpty || path.isEmpty {
                return .choice(choice(view, branches: branches, name: name, path: path))
            }
            return .fieldset(fields: fields(of: view, namePrefix: name, pathPrefix: path))
        default:
            return textKind(view)
        }
    }

    private func inferredType(_ view: SchemaView) -> String {
        if !view.properties.isEmpty || !branchLocations(view).isEmpty { return "object" }
        if view["items"] != nil { return "array" }
        return "string"
    }

    private func textKind(_ view: SchemaView) -> FormFieldKind {
        let format = view.string("format")
        if view["writeOnly"]?.bool == true || format == "password" || view["x-secret"]?.bool == true
            || view["airbyte_secret"]?.bool == true
        {
            return .secret
        }
        if view["multiline"]?.bool == true || format == "textarea" || (view["maxLength"]?.int ?? 0) > 255 {
            return .textarea
        }
        switch format {
        case "email", "idn-email": return .text(.email)
        case "uri", "url", "iri": return .text(.url)
        case "date": return .text(.date)
        case "date-time": return .text(.dateTime)
        case "time": return .text(.time)
        default: return .text(.text)
        }
    }

    /// Options for an `enum` (labels from `enumNames`), or for a `oneOf`/`anyOf` of titled `const`s.
    func selectOptions(_ view: SchemaView) -> [FormOption]? {
        if let values = view["enum"]?.array {
            let names = (view["enumNames"] ?? view["x-enumNames"])?.array?.compactMap(\.string) ?? []
            return values.enumerated().map { index, value in
                FormOption(value: value, label: index < names.count ? names[index] : Self.label(for: value))
            }
        }
        guard let branches = (view["oneOf"] ?? view["anyOf"])?.array, !branches.isEmpty else { return nil }
        var options: [FormOption] = []
        for branch in branches {
            guard let value = branch["const"] else { return nil }
            options.append(FormOption(value: value, label: branch["title"]?.string ?? Self.label(for: value)))
        }
        return options
    }

    static func label(for value: JSON) -> String {
        value.string ?? value.description
    }

    /// The `oneOf` (else `anyOf`) subschemas, when they describe objects.
    func branchLocations(_ view: SchemaView) -> [SchemaLocation] {
        for keyword in ["oneOf", "anyOf"] {
            guard let branches = view[keyword]?.array, !branches.isEmpty else { continue }
            return branches.indices.compactMap { view.location(of: keyword, String($0)) }
        }
        return []
    }

    private mutating func arrayKind(_ view: SchemaView, name: String, path: String) -> FormFieldKind {
        let items = view.location(of: "items").map { index.view(at: $0) } ?? SchemaView()
        if let options = selectOptions(items) { return .multiSelect(options) }
        let itemType = items.type ?? (items.properties.isEmpty ? "string" : "object")
        guard itemType == "object" else {
            let item = field(key: "", view: items, name: name + "[]", path: path + "[]", isRequired: true)
            return .list(item: item)
        }
        let rowFields = fields(of: items, namePrefix: "", pathPrefix: "")
        let isText = { (field: FormField) -> Bool in
            if case .text = field.kind { return true }
            return false
        }
        if rowFields.count == 2, rowFields.allSatisfy(isText) {
            return .keyValueList(key: rowFields[0], value: rowFields[1])
        }
        return .objectList(fields: rowFields)
    }

    /// Airbyte's pattern: options told apart by a property holding a `const` in each.
    private mutating func choice(_ view: SchemaView, branches: [SchemaLocation], name: String, path: String)
        -> FormChoice
    {
        let views = branches.map { index.view(at: $0) }
        let discriminator = Self.discriminator(of: views, index: &index)
        var options: [FormChoiceOption] = []
        for (position, branch) in views.enumerated() {
            var value = JSON.int(Int64(position))
            if let discriminator, let constant = Self.constant(of: discriminator, in: branch, index: &index) {
                value = constant
            }
            options.append(
                FormChoiceOption(
                    value: value,
                    label: branch.string("title")
                        ?? (discriminator == nil ? "Option \(position + 1)" : Self.label(for: value)),
                    description: branch.string("description"),
                    fields: fields(of: branch, namePrefix: name, pathPrefix: path, skipping: discriminator)))
        }
        var defaultOption: Int?
        if let discriminator, let chosen = view["default"]?[discriminator] {
            defaultOption = options.firstIndex { $0.value == chosen }
        }
        return FormChoice(
            discriminator: discriminator, options: options,
            selectorName: join(name, discriminator ?? "_option"), defaultOption: defaultOption)
    }

    /// A property every branch pins with `const` (or a one-value `enum`).
    private static func discriminator(of branches: [SchemaView], index: inout ResourceIndex) -> String? {
        guard let first = branches.first else { return nil }
        for (name, _) in first.properties
        where branches.allSatisfy({ constant(of: name, in: $0, index: &index) != nil }) {
            return name
        }
        return nil
    }

    private static func constant(of property: String, in branch: SchemaView, index: inout ResourceIndex)
        -> JSON?
    {
        guard let location = branch.properties.first(where: { $0.name == property })?.location else {
            return nil
        }
        let view = index.view(at: location)
        if let constant = view["const"] { return constant }
        if let values = view["enum"]?.array, values.count == 1 { return values[0] }
        return nil
    }
}
