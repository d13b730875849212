import JSON

extension ExecutionPlan {
    /// Delivery settings and headers a step inherits from the top level of the config.
    static let inheritedKeys: Set<String> = [
        "headers", "timeout_ms", "retries", "retry_backoff_ms", "retry_on_status", "follow_redirects",
        "verify_tls",
    ]

    /// What a step may hold besides its `name`.
    static let stepKeys: Set<String> = inheritedKeys.union([
        "method", "url", "query_params", "body_type", "body", "content_type", "field_mappings",
    ])

    /// Request fields that belong to each step once a config has steps. A top-level `method`, a
    /// `body_type` of `none`, and empty lists or texts are tolerated: forms and installs fill them in
    /// from the schema's defaults.
    private static let requestKeys = ["url", "query_params", "body", "content_type", "field_mappings"]

    /// A step name: a template path segment that needs no quoting.
    static func isValidStepName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 64 else { return false }
        let isLetter: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        return (isLetter(first) || first == "_")
            && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func compileSteps(_ value: JSON, in config: JSONObject) throws(RequestError) -> [Step] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw .invalidRequest("steps: expected a non-empty list of steps")
        }
        guard items.count <= maxSteps else {
            throw .invalidRequest("steps: at most \(maxSteps) steps are allowed (got \(items.count))")
        }
        for key in requestKeys where config[key].map(isFilled) ?? false {
            throw .invalidRequest("\(key): with steps, '\(key)' belongs in each step")
        }
        if let bodyType = config["body_type"], bodyType != "none" {
            throw .invalidRequest("body_type: with steps, 'body_type' belongs in each step")
        }
        var inherited = JSONObject()
        for (key, member) in config where inheritedKeys.contains(key) { inherited[key] = member }
        var compiled: [Step] = []
        var names: [String] = []
        for (index, item) in items.enumerated() {
            let location = "steps[\(index)]"
            let (name, stepConfig) = try stepConfig(item, inherited: inherited, at: location)
            guard !names.contains(name) else {
                throw .invalidRequest("\(location).name: the name '\(name)' is used by an earlier step")
            }
            let settings: CustomHTTPSettings
            do {
                try checkBodyPresence(stepConfig)
                settings = try CustomHTTPSettings(config: stepConfig)
            } catch {
                throw error.located(location)
            }
            try checkVariables(of: settings, earlierSteps: names, at: location)
            compiled.append(Step(name: name, settings: settings))
            names.append(name)
        }
        return compiled
    }

    /// Whether a top-level request field holds something a step would have to own.
    private static func isFilled(_ value: JSON) -> Bool {
        switch value {
        case .null: false
        case .array(let items): !items.isEmpty
        case .string(let text): !text.isEmpty
        default: true
        }
    }

    /// The step's name and its full config: the inherited settings overridden by its own.
    private static func stepConfig(_ item: JSON, inherited: JSONObject, at location: String)
        throws(RequestError) -> (String, JSONObject)
    {
        guard case .object(let step) = item else {
            throw .invalidRequest("\(location): a step must be an object")
        }
        guard let name = step["name"]?.string, isValidStepName(name) else {
            throw .invalidRequest(
                "\(location).name: a step needs a name of letters, digits and '_' (not starting with a digit)"
            )
        }
        var merged = inherited
        for (key, member) in step where key != "name" {
            guard stepKeys.contains(key) else { throw .invalidRequest("\(location): unknown field '\(key)'") }
            merged[key] = key == "headers" ? mergedHeaders(inherited["headers"], member) : member
        }
        return (name, merged)
    }

    /// The inherited headers, less those the step sets itself (compared without case), then the step's.
    /// Shapes other than lists and objects are passed through for the settings to refuse.
    private static func mergedHeaders(_ inherited: JSON?, _ own: JSON) -> JSON {
        guard let inherited, let base = headerPairs(inherited), let overrides = headerPairs(own) else {
            return own
        }
        let overridden = Set(overrides.map { $0.name.lowercased() })
        let kept = base.filter { !overridden.contains($0.name.lowercased()) }
        return .array((kept + overrides).map { .object(["key": .string($0.name), "value": $0.value]) })
    }

    private static func headerPairs(_ value: JSON) -> [(name: String, value: JSON)]? {
        switch value {
        case .object(let object):
            return object.map { ($0.key, $0.value) }
        case .array(let items):
            var pairs: [(name: String, value: JSON)] = []
            for item in items {
                guard let name = (item["key"] ?? item["name"])?.string else { return nil }
                pairs.append((name, item["value"] ?? .string("")))
            }
            return pairs
        default:
            return nil
        }
    }
}
