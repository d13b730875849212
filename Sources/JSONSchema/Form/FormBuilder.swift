import JSON

extension Schema {
    /// The form for this schema's root object: one field per property, in `order` (else declaration)
    /// order, with `$ref`s resolved. Input names start with `namePrefix` (`config` → `config.host`).
    public func formFields(namePrefix: String = "") -> [FormField] {
        var builder = FormBuilder(index: index)
        let root = builder.index.view(at: SchemaLocation(document: 0, pointer: ""))
        var fields = builder.fields(of: root, namePrefix: namePrefix, pathPrefix: "")
        // A root that is a `oneOf` of objects (several auth methods, say) becomes one choice whose
        // options carry the fields; its key is empty because its values belong to the root object.
        if case .choice(let choice) = builder.rootChoice(root, namePrefix: namePrefix) {
            var field = FormField(
                name: namePrefix, path: "", key: "", label: root.string("title") ?? "Method",
                description: root.string("description"), kind: .choice(choice), isRequired: true)
            field.order = fields.count
            fields.append(field)
        }
        return fields
    }
}

/// Derives form fields from schema views.
struct FormBuilder {
    var index: ResourceIndex
    private var depth = 0

    /// Recursive schemas (trees) are cut off here rather than unrolled forever.
    static let maxDepth = 10

    init(index: ResourceIndex) {
        self.index = index
    }

    /// The choice for a root object's `oneOf`/`anyOf` of objects, if it has one.
    mutating func rootChoice(_ root: SchemaView, namePrefix: String) -> FormFieldKind? {
        let branches = branchLocations(root)
        guard !branches.isEmpty, root.type == nil || root.type == "object" else { return nil }
        // Branches that only constrain (`{"required": ["url"]}`) are validation, not a choice to offer.
        guard branches.allSatisfy({ !index.view(at: $0).properties.isEmpty }) else { return nil }
        let kind = kind(of: root, name: namePrefix, path: "")
        if case .choice = kind { return kind }
        return nil
    }

    mutating func fields(
        of view: SchemaView, namePrefix: String, pathPrefix: String, skipping skipped: String? = nil
    )
        -> [FormField]
    {
        var fields: [FormField] = []
        for (key, location) in view.properties where key != skipped {
            let property = index.view(at: location)
            if property["airbyte_hidden"]?.bool == true || property["x-hidden"]?.bool == true { continue }
            fields.append(
                field(
                    key: key, view: property, name: join(namePrefix, key), path: join(pathPrefix, key),
                    isRequired: view.required.contains(key)))
        }
        // Stable: fields without `order` keep their place after the ordered ones.
        return fields.enumerated().sorted {
            ($0.element.order ?? .max, $0.offset) < ($1.element.order ?? .max, $1.offset)
        }
        .map(\.element)
    }

    mutating func field(key: String, view: SchemaView, name: String, path: String, isRequired: Bool)
        -> FormField
    {
        var field = FormField(
            name: name, path: path, key: key, label: view.string("title") ?? Humanize.label(key),
            description: view.string("description"), kind: .text(.text), isRequired: isRequired)
        field.isReadOnly = view["readOnly"]?.bool ?? false
        field.defaultValue = view["default"]
        field.examples = view["examples"]?.array ?? []
        field.placeholder = field.examples.first.map { $0.string ?? $0.description }
        field.order = view["order"]?.int
        field.group = view.string("group") ?? view.string("x-group")
        field.minLength = view["minLength"]?.int
        field.maxLength = view["maxLength"]?.int
        field.pattern = view.string("pattern")
        guard depth < Self.maxDepth else { return field }
        depth += 1
        field.kind = kind(of: view, name: name, path: path)
        depth -= 1
        return field
    }

    func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : prefix + "." + key
    }
}
