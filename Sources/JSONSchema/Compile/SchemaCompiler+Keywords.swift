import JSON

extension SchemaCompiler {
    /// The keywords of one schema object, in the order the validator applies them.
    mutating func compileKeywords(_ reader: inout KeywordReader) throws(SchemaError) -> [Keyword] {
        let dialect = reader.scope.dialect
        let vocabularies = reader.scope.vocabularies
        var keywords: [Keyword] = []
        if let reference = try reader.string("$ref") {
            let node = try resolveReference(reference, keyword: "$ref", reader: reader).node
            // Draft-07: `$ref` hides every sibling keyword.
            if dialect == .draft7 { return [.ref(node)] }
            keywords.append(.ref(node))
        }
        if dialect == .draft2020_12, let reference = try reader.string("$dynamicRef") {
            keywords.append(try compileDynamicReference(reference, reader: reader))
        }
        if vocabularies.contains(.validation) { try compileAssertions(reader, into: &keywords) }
        if vocabularies.contains(.format), let name = try reader.string("format"),
            options.assertsFormat || vocabularies.contains(.formatAssertion),
            let checker = FormatChecker(name: name)
        {
            keywords.append(.format(checker))
        }
        if vocabularies.contains(.applicator) {
            try compileArrayApplicators(reader, into: &keywords)
            try compileObjectApplicators(reader, into: &keywords)
            try compileLogic(reader, into: &keywords)
        }
        if dialect == .draft2020_12, vocabularies.contains(.unevaluated) {
            if reader.has("unevaluatedProperties") {
                keywords.append(.unevaluatedProperties(try child(reader, "unevaluatedProperties")))
            }
            if reader.has("unevaluatedItems") {
                keywords.append(.unevaluatedItems(try child(reader, "unevaluatedItems")))
            }
        }
        return keywords
    }

    private func compileAssertions(_ reader: KeywordReader, into keywords: inout [Keyword])
        throws(SchemaError)
    {
        if let value = reader.object["type"] {
            var types: JSONTypes = []
            var names: [String] = []
            if let name = value.string {
                names = [name]
            } else {
                names = try reader.stringArray("type") ?? []
            }
            for name in names {
                guard let type = JSONTypes.names.first(where: { $0.0 == name })?.1 else {
                    throw reader.invalid("type", "unknown type '\(name)'")
                }
                types.insert(type)
            }
            keywords.append(.type(types))
        }
        if let values = try reader.array("enum") { keywords.append(.enumeration(values)) }
        if let value = reader.object["const"] { keywords.append(.constant(value)) }

        if let limit = try reader.nonNegativeInteger("minLength") { keywords.append(.minLength(limit)) }
        if let limit = try reader.nonNegativeInteger("maxLength") { keywords.append(.maxLength(limit)) }
        if let pattern = try reader.string("pattern") {
            keywords.append(.pattern(try reader.regex(pattern, keyword: "pattern")))
        }

        if let limit = try reader.number("minimum") { keywords.append(.minimum(limit)) }
        if let limit = try reader.number("maximum") { keywords.append(.maximum(limit)) }
        // Draft-04 spelled these as booleans modifying minimum/maximum; they are ignored then.
        if reader.object["exclusiveMinimum"]?.bool == nil, let limit = try reader.number("exclusiveMinimum") {
            keywords.append(.exclusiveMinimum(limit))
        }
        if reader.object["exclusiveMaximum"]?.bool == nil, let limit = try reader.number("exclusiveMaximum") {
            keywords.append(.exclusiveMaximum(limit))
        }
        if let divisor = try reader.number("multipleOf") {
            guard let value = divisor.double, value > 0 else {
                throw reader.invalid("multipleOf", "'multipleOf' must be greater than 0")
            }
            keywords.append(.multipleOf(divisor))
        }

        if let limit = try reader.nonNegativeInteger("minItems") { keywords.append(.minItems(limit)) }
        if let limit = try reader.nonNegativeInteger("maxItems") { keywords.append(.maxItems(limit)) }
        if try reader.bool("uniqueItems") == true { keywords.append(.uniqueItems) }

        if let names = try reader.stringArray("required"), !names.isEmpty {
            keywords.append(.required(names))
        }
        if let limit = try reader.nonNegativeInteger("minProperties") {
            keywords.append(.minProperties(limit))
        }
        if let limit = try reader.nonNegativeInteger("maxProperties") {
            keywords.append(.maxProperties(limit))
        }
        if reader.scope.dialect == .draft2020_12, let members = try reader.members("dependentRequired") {
            var rules: [(String, [String])] = []
            for (property, value) in members {
                rules.append((property, try reader.stringArray("dependentRequired", in: value) ?? []))
            }
            keywords.append(.dependentRequired(rules))
        }
    }

    /// Compiles the subschema under `keyword` (or under `keyword/token...`).
    mutating func child(_ reader: KeywordReader, _ keyword: String, _ tokens: String...) throws(SchemaError)
        -> NodeID
    {
        var location = reader.location.appending(keyword)
        for token in tokens { location = location.appending(token) }
        return try compile(at: location)
    }

    /// Compiles an array of subschemas under `keyword`.
    mutating func children(_ reader: KeywordReader, _ keyword: String, allowEmpty: Bool = false)
        throws(SchemaError) -> [NodeID]?
    {
        guard let elements = try reader.array(keyword) else { return nil }
        if elements.isEmpty, !allowEmpty { throw reader.invalid(keyword, "'\(keyword)' must not be empty") }
        var nodes: [NodeID] = []
        for index in elements.indices { nodes.append(try child(reader, keyword, String(index))) }
        return nodes
    }
}
