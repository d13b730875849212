import JSON

extension SchemaCompiler {
    mutating func compileArrayApplicators(_ reader: KeywordReader, into keywords: inout [Keyword])
        throws(SchemaError)
    {
        var tupleLength = 0
        switch reader.scope.dialect {
        case .draft2020_12:
            if let nodes = try children(reader, "prefixItems") {
                keywords.append(.prefixItems(nodes))
                tupleLength = nodes.count
            }
            if let value = reader.object["items"] {
                guard value.array == nil else {
                    throw reader.invalid("items", "'items' must be a schema (use 'prefixItems' for tuples)")
                }
                keywords.append(.items(try child(reader, "items"), start: tupleLength, keyword: "items"))
            }
        case .draft7:
            if case .array = reader.object["items"] {
                let nodes = try children(reader, "items", allowEmpty: true) ?? []
                keywords.append(.prefixItems(nodes))
                if reader.has("additionalItems") {
                    keywords.append(
                        .items(
                            try child(reader, "additionalItems"), start: nodes.count,
                            keyword: "additionalItems"))
                }
            } else if reader.has("items") {
                keywords.append(.items(try child(reader, "items"), start: 0, keyword: "items"))
            }
        }
        if reader.has("contains") {
            let node = try child(reader, "contains")
            var minimum = 1
            var maximum: Int?
            if reader.scope.dialect == .draft2020_12, reader.scope.vocabularies.contains(.validation) {
                minimum = try reader.nonNegativeInteger("minContains") ?? 1
                maximum = try reader.nonNegativeInteger("maxContains")
            }
            keywords.append(.contains(node, min: minimum, max: maximum))
        }
    }

    mutating func compileObjectApplicators(_ reader: KeywordReader, into keywords: inout [Keyword])
        throws(SchemaError)
    {
        var rule = ObjectMembersRule()
        if let properties = try reader.members("properties") {
            for name in properties.keys { rule.properties.add(name, try child(reader, "properties", name)) }
        }
        if let patterns = try reader.members("patternProperties") {
            for pattern in patterns.keys {
                let regex = try reader.regex(pattern, keyword: "patternProperties")
                rule.patterns.append((regex, try child(reader, "patternProperties", pattern)))
            }
        }
        if reader.has("additionalProperties") { rule.additional = try child(reader, "additionalProperties") }
        if !rule.properties.isEmpty || !rule.patterns.isEmpty || rule.additional != nil {
            keywords.append(.objectMembers(rule))
        }
        if reader.has("propertyNames") { keywords.append(.propertyNames(try child(reader, "propertyNames"))) }

        if reader.scope.dialect == .draft2020_12, let members = try reader.members("dependentSchemas") {
            var rules: [(String, NodeID)] = []
            for name in members.keys { rules.append((name, try child(reader, "dependentSchemas", name))) }
            keywords.append(.dependentSchemas(rules))
        }
        // Draft-07's `dependencies`, also honoured in 2020-12 schemas that still use it.
        if let members = try reader.members("dependencies") {
            var required: [(String, [String])] = []
            var schemas: [(String, NodeID)] = []
            for (name, value) in members {
                if case .array = value {
                    required.append((name, try reader.stringArray("dependencies", in: value) ?? []))
                } else {
                    schemas.append((name, try child(reader, "dependencies", name)))
                }
            }
            if !required.isEmpty { keywords.append(.dependentRequired(required)) }
            if !schemas.isEmpty { keywords.append(.dependentSchemas(schemas)) }
        }
    }

    mutating func compileLogic(_ reader: KeywordReader, into keywords: inout [Keyword]) throws(SchemaError) {
        if let nodes = try children(reader, "allOf") { keywords.append(.allOf(nodes)) }
        if let nodes = try children(reader, "anyOf") { keywords.append(.anyOf(nodes)) }
        if let nodes = try children(reader, "oneOf") { keywords.append(.oneOf(nodes)) }
        if reader.has("not") { keywords.append(.not(try child(reader, "not"))) }
        if reader.has("if") {
            let condition = try child(reader, "if")
            let then = reader.has("then") ? try child(reader, "then") : nil
            let otherwise = reader.has("else") ? try child(reader, "else") : nil
            // Kept even without then/else: a passing `if` still contributes annotations.
            keywords.append(.conditional(if: condition, then: then, else: otherwise))
        }
    }
}
