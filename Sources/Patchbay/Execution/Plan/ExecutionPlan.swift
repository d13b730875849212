import JSON

/// A custom HTTP connector's config compiled into the requests a run sends: one request, or ordered
/// named steps.
///
/// A single request is the catalog's custom-http config (`method`, `url`, `headers`, `query_params`,
/// `body_type`, `body`, `content_type`, `timeout_ms`, `retries`, `retry_backoff_ms`,
/// `retry_on_status`, `follow_redirects`, `verify_tls`, `field_mappings`). A multi-step config has
/// `steps` instead of `url`:
///
/// ```json
/// {
///   "timeout_ms": 5000, "retries": 1,
///   "headers": [{"key": "Accept", "value": "application/json"}],
///   "steps": [
///     {"name": "lookup", "url": "https://api.example.com/people?email={{contact.email}}",
///      "field_mappings": [{"source_path": "$.name.first", "target_field": "firstname"}]},
///     {"name": "update", "method": "PATCH",
///      "url": "https://api.example.com/people/{{steps.lookup.response.id}}",
///      "body_type": "json", "body": "{\"first\": \"{{steps.lookup.mapped.firstname}}\"}"}
///   ]
/// }
/// ```
///
/// - Each step is a request config as above plus a `name` (letters, digits, `_`; not starting with a
///   digit; unique); at most `maxSteps` steps. Unknown step fields are refused.
/// - Top-level `headers`, `timeout_ms`, `retries`, `retry_backoff_ms`, `retry_on_status`,
///   `follow_redirects` and `verify_tls` are defaults every step inherits; a step's own value wins,
///   and a step header replaces an inherited one of the same name. Top-level `url`, `query_params`,
///   `body`, `content_type`, `field_mappings` and a `body_type` other than `none` are refused next to
///   `steps`, unless empty; a top-level `method` is ignored (forms fill it in from the schema's default).
/// - A step reads earlier steps as `{{steps.<name>.status}}` (HTTP status), `.response.<path>` (the
///   JSON body, or its text when not JSON), `.mapped.<field>` and `.headers.<lower-case name>`.
/// - Steps run in order; the first that fails stops the run and the rest are reported as skipped.
///
/// Compiling checks what can be checked without values: every template parses, every variable names
/// a known scope (`input`, `contact`, `workspace`, `auth`, `steps`), and a step only reads steps that
/// run before it. A plan is immutable and can be reused for many runs.
public struct ExecutionPlan: Sendable {
    /// One request of the plan.
    public struct Step: Sendable {
        /// The step's name; nil for a single-request connector.
        public let name: String?
        public let settings: CustomHTTPSettings
    }

    public let steps: [Step]

    /// Whether the config defines `steps` (its outcome then lists each step).
    public var isMultiStep: Bool { steps.first?.name != nil }

    /// The most steps one connector may define.
    public static let maxSteps = 10

    /// The scopes a template may read; `steps` only for names of earlier steps.
    static let scopes: Set<String> = ["input", "contact", "workspace", "auth", "steps"]

    /// Compiles `config`; throws a `RequestError` naming the field at fault (`steps[1].url: …`).
    public init(config: JSON) throws(RequestError) {
        guard case .object(let object) = config else {
            throw .invalidRequest("the config must be an object")
        }
        guard let stepList = object["steps"], !stepList.isNull else {
            try Self.checkBodyPresence(object)
            let settings = try CustomHTTPSettings(config: object)
            try Self.checkVariables(of: settings, earlierSteps: [], at: nil)
            steps = [Step(name: nil, settings: settings)]
            return
        }
        steps = try Self.compileSteps(stepList, in: object)
    }

    /// As the catalog schema says: a body type other than `none` needs a `body`.
    static func checkBodyPresence(_ config: JSONObject) throws(RequestError) {
        if let type = config["body_type"]?.string, type != "none", config["body"] == nil {
            throw .invalidRequest("body: a \(type) body type needs a body")
        }
    }

    /// Refuses variables outside the known scopes, and `steps.x` unless step x runs earlier.
    static func checkVariables(of settings: CustomHTTPSettings, earlierSteps: [String], at location: String?)
        throws(RequestError)
    {
        for template in settings.request.templates {
            for path in template.referencedPaths {
                guard let problem = problem(with: path, earlierSteps: earlierSteps) else { continue }
                let error = RequestError.invalidRequest("{{\(path)}} \(problem)")
                throw location.map { error.located($0) } ?? error
            }
        }
    }

    private static func problem(with path: JSONPath, earlierSteps: [String]) -> String? {
        guard case .key(let scope)? = path.segments.first, scopes.contains(scope) else {
            return "does not start with a known scope (input, contact, workspace, auth or steps)"
        }
        guard scope == "steps" else { return nil }
        guard path.segments.count >= 2, case .key(let name) = path.segments[1] else {
            return "must name a step (steps.<name>.response, .mapped, .status or .headers)"
        }
        if earlierSteps.contains(name) { return nil }
        return earlierSteps.isEmpty
            ? "refers to step '\(name)', but no step runs before this one"
            : "refers to step '\(name)', which does not run before this one"
    }
}
