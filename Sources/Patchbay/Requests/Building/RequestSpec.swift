import JSON

/// A compiled request description — a manifest `request` object or a custom HTTP connector's
/// settings — that `prepare(_:)` renders into a `PreparedRequest` against the scopes of one call.
///
/// Compiling parses every template once, so a catalog's requests can be checked without rendering and
/// rendering does no parsing.
public struct RequestSpec: Sendable {
    /// How the body is encoded, and the `Content-Type` it implies unless one is given.
    public enum BodyType: String, Sendable, CaseIterable {
        case none, json, form, xml, raw

        var defaultContentType: String? {
            switch self {
            case .none: nil
            case .json: "application/json"
            case .form: "application/x-www-form-urlencoded"
            case .xml: "application/xml; charset=utf-8"
            case .raw: "text/plain; charset=utf-8"
            }
        }
    }

    /// What an absent variable does outside sections, guards and defaults.
    public enum Strictness: Sendable, Hashable {
        /// Every absent variable fails the request with `missing variable <path>` (custom HTTP).
        case strict
        /// The manifest rules: absent values empty a header or query value (which is then not sent) and
        /// leave out JSON members holding just that tag; in the URL and in longer body strings an
        /// absent variable still fails the request.
        case manifest
    }

    /// A header or query parameter: a literal name and a templated value.
    struct Field: Sendable, Hashable {
        var name: String
        var value: RequestTemplate
    }

    enum Body: Sendable, Hashable {
        case none
        case json(JSONTemplate)
        /// JSON written as text with tags anywhere (custom HTTP bodies that are not JSON before rendering).
        case jsonText(RequestTemplate)
        case form(JSONTemplate)
        /// `a={{x}}&b=2` written as text.
        case formText(RequestTemplate)
        case xml(RequestTemplate)
        case raw(RequestTemplate)
    }

    enum Auth: Sendable, Hashable {
        case none
        /// HTTP Basic from templates; skipped when the username renders empty.
        case basic(username: RequestTemplate, password: RequestTemplate)
        /// The method selected in the `auth` scope: none, bearer, api_key, basic, OAuth access token.
        case generic
        case awsSigV4
        /// Skipped when the credentials render empty; otherwise not supported here.
        case googleServiceAccount(credentials: RequestTemplate)
    }

    public let method: String
    public let bodyType: BodyType
    public let strictness: Strictness
    let url: RequestTemplate
    let query: [Field]
    let headers: [Field]
    let body: Body
    /// Replaces any `Content-Type` header when set.
    let contentType: String?
    let auth: Auth

    init(
        method: String, url: RequestTemplate, query: [Field], headers: [Field], bodyType: BodyType,
        body: Body,
        contentType: String?, auth: Auth, strictness: Strictness
    ) {
        self.method = method
        self.url = url
        self.query = query
        self.headers = headers
        self.bodyType = bodyType
        self.body = body
        self.contentType = contentType
        self.auth = auth
        self.strictness = strictness
    }

    /// Every template of the request, for checks over a catalog.
    public var templates: [RequestTemplate] {
        var found = [url] + query.map(\.value) + headers.map(\.value)
        switch body {
        case .none: break
        case .json(let template), .form(let template): found += template.templates
        case .jsonText(let template), .formText(let template), .xml(let template), .raw(let template):
            found.append(template)
        }
        if case .basic(let username, let password) = auth { found += [username, password] }
        if case .googleServiceAccount(let credentials) = auth { found.append(credentials) }
        return found
    }

    /// Renders the request against `scopes` (`config`, `auth`, `input`, …). The `auth` scope also feeds
    /// the generic auth methods.
    public func prepare(_ scopes: JSONObject) throws(RequestError) -> PreparedRequest {
        let lenient: MissingVariables = strictness == .manifest ? .empty : .error
        let baseURL: String
        do {
            baseURL = try url.render(scopes, in: .url, missing: .error)
        } catch {
            throw error.located("url")
        }
        var queryPairs: [(name: String, value: String)] = []
        for field in query {
            let value = try Self.render(field.value, scopes, lenient, at: "query.\(field.name)")
            if !value.isEmpty { queryPairs.append((field.name, value)) }
        }
        var request = PreparedRequest(method: method, url: baseURL)
        for field in headers {
            let value = try Self.headerValue(field, scopes, lenient)
            if !value.isEmpty { request.headers.append(.init(name: field.name, value: value)) }
        }
        try renderBody(into: &request, scopes)
        queryPairs += try RequestAuthenticator.apply(auth, to: &request, scopes: scopes, missing: lenient)
        request.url = try URLAssembly.assemble(baseURL, query: queryPairs)
        return request
    }

    private static func render(
        _ template: RequestTemplate, _ scopes: JSONObject, _ missing: MissingVariables, at location: String
    )
        throws(RequestError) -> String
    {
        do {
            return try template.render(scopes, in: .text, missing: missing)
        } catch {
            throw error.located(location)
        }
    }

    /// The rendered value without surrounding spaces; a line break or NUL in it could start a new
    /// header, so it is refused.
    static func headerValue(_ field: Field, _ scopes: JSONObject, _ missing: MissingVariables)
        throws(RequestError)
        -> String
    {
        let value = try render(field.value, scopes, missing, at: "headers.\(field.name)")
        try checkHeaderValue(value, name: field.name)
        return value.trimmingHeaderSpace()
    }

    static func checkHeaderValue(_ value: String, name: String) throws(RequestError) {
        if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
            throw .invalidValue("headers.\(name): the value contains a line break or NUL")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingHeaderSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
