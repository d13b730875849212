import JSON

/// A custom HTTP connector's config (the `custom-http` catalog type), compiled: the request, its
/// delivery settings and the response field mappings.
///
/// Every template is strict: an absent variable fails the request naming it unless it has a default
/// or sits in a section. Authentication comes from the connector's decrypted `auth` object (passed as
/// the `auth` scope) with the generic methods: none, bearer, api_key, basic.
public struct CustomHTTPSettings: Sendable {
    public var request: RequestSpec
    /// How long to wait for one attempt.
    public var timeout: Duration
    public var retry: RetryPolicy
    public var followRedirects: Bool
    public var verifyTLS: Bool
    public var fieldMappings: [FieldMapping]

    /// Compiles `config`; absent fields take the catalog schema's defaults.
    public init(config: JSONObject) throws(RequestError) {
        let method = try RequestSpec.method(config["method"])
        guard let urlText = config["url"]?.string, !urlText.isEmpty else {
            throw .invalidRequest("url: a custom HTTP request needs a url")
        }
        let headers = try RequestSpec.fields(config["headers"], at: "headers")
        for header in headers { try RequestSpec.checkHeaderName(header.name) }
        let bodyType = try RequestSpec.bodyType(config["body_type"] ?? "none", hasBody: false)
        let contentType = config["content_type"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        if let contentType { try RequestSpec.checkHeaderValue(contentType, name: "Content-Type") }
        request = RequestSpec(
            method: method, url: try RequestSpec.compile(urlText, at: "url"),
            query: try RequestSpec.fields(config["query_params"], at: "query_params"), headers: headers,
            bodyType: bodyType, body: try Self.body(config["body"]?.string ?? "", type: bodyType),
            contentType: contentType, auth: .generic, strictness: .strict)
        timeout = .milliseconds(try Self.integer(config, "timeout_ms", default: 10_000, in: 1...600_000))
        let retries = try Self.integer(config, "retries", default: 2, in: 0...10)
        let backoff = try Self.integer(config, "retry_backoff_ms", default: 500, in: 0...600_000)
        var retry = RetryPolicy(retries: retries, baseDelay: .milliseconds(backoff))
        if let statuses = config["retry_on_status"]?.array {
            retry.retryableStatuses = Set(statuses.compactMap(\.int))
        }
        self.retry = retry
        followRedirects = config["follow_redirects"]?.bool ?? true
        verifyTLS = config["verify_tls"]?.bool ?? true
        fieldMappings = try FieldMapping.list(config["field_mappings"])
    }

    /// JSON and form bodies that are valid JSON before rendering are compiled as JSON templates (sole
    /// tags keep their type); otherwise they are text templates whose values are escaped for the body
    /// type, and a JSON body is checked to be well formed after rendering.
    private static func body(_ text: String, type: RequestSpec.BodyType) throws(RequestError)
        -> RequestSpec.Body
    {
        let template = try RequestSpec.compile(text, at: "body")
        switch type {
        case .none:
            return .none
        case .json:
            if let value = try? JSON(parsing: text) { return .json(try JSONTemplate(compiling: value)) }
            return .jsonText(template)
        case .form:
            if case .object(let object)? = try? JSON(parsing: text) {
                return .form(try JSONTemplate(compiling: .object(object)))
            }
            return .formText(template)
        case .xml:
            return .xml(template)
        case .raw:
            return .raw(template)
        }
    }

    private static func integer(
        _ config: JSONObject, _ key: String, default value: Int, in range: ClosedRange<Int>
    )
        throws(RequestError) -> Int
    {
        guard let given = config[key] else { return value }
        guard let number = given.int, range.contains(number) else {
            throw .invalidRequest(
                "\(key): expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
