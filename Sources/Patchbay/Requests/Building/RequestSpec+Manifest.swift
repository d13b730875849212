import JSON

extension RequestSpec {
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Compiles a manifest `request` object: `method`, `url`, `query` and `headers` (objects, or lists
    /// of `{key, value}`), `body_type` (json by default when a body is given), `body` and `auth`.
    public init(manifest request: JSON, strictness: Strictness = .manifest) throws(RequestError) {
        guard case .object(let object) = request else { throw .invalidRequest("a request must be an object") }
        let method = try Self.method(object["method"])
        guard let urlText = object["url"]?.string, !urlText.isEmpty else {
            throw .invalidRequest("a request needs a url")
        }
        let url = try Self.compile(urlText, at: "url")
        let query = try Self.fields(object["query"], at: "query")
        let headers = try Self.fields(object["headers"], at: "headers")
        for header in headers { try Self.checkHeaderName(header.name) }
        let bodyType = try Self.bodyType(object["body_type"], hasBody: object["body"] != nil)
        let body = try Self.manifestBody(object["body"], type: bodyType)
        let auth = try Self.auth(object["auth"])
        self.init(
            method: method, url: url, query: query, headers: headers, bodyType: bodyType, body: body,
            contentType: nil, auth: auth, strictness: strictness)
    }

    static func method(_ value: JSON?) throws(RequestError) -> String {
        let method = value?.string?.uppercased() ?? "GET"
        guard methods.contains(method) else { throw .invalidRequest("unknown method '\(method)'") }
        return method
    }

    static func bodyType(_ value: JSON?, hasBody: Bool) throws(RequestError) -> BodyType {
        guard let value else { return hasBody ? .json : .none }
        guard let name = value.string, let type = BodyType(rawValue: name) else {
            throw .invalidRequest(
                "unknown body_type '\(value.templateText)' (expected none, json, form, xml or raw)")
        }
        return type
    }

    private static func manifestBody(_ value: JSON?, type: BodyType) throws(RequestError) -> Body {
        guard let value, type != .none else { return .none }
        switch type {
        case .none: return .none
        case .json: return .json(try JSONTemplate(compiling: value))
        case .form: return .form(try JSONTemplate(compiling: value))
        case .xml, .raw:
            guard let text = value.string else {
                throw .invalidRequest("body: a \(type) body must be a string")
            }
            let template = try compile(text, at: "body")
            return type == .xml ? .xml(template) : .raw(template)
        }
    }

    private static func auth(_ value: JSON?) throws(RequestError) -> Auth {
        guard let value else { return .none }
        guard case .object(let object) = value, let type = object["type"]?.string else {
            throw .invalidRequest("auth: expected an object with a type")
        }
        switch type {
        case "basic":
            return .basic(
                username: try compile(object["username"]?.string ?? "", at: "auth.username"),
                password: try compile(object["password"]?.string ?? "", at: "auth.password"))
        case "generic": return .generic
        case "aws_sigv4": return .awsSigV4
        case "google_service_account":
            return .googleServiceAccount(
                credentials: try compile(
                    object["credentials_json"]?.string ?? "", at: "auth.credentials_json"))
        default:
            throw RequestError(.unsupportedAuth(type), "unsupported auth type \(type)")
        }
    }

    /// Headers or query parameters from an object (`{"Accept": "…"}`) or a list of
    /// `{"key": …, "value": …}` (`name` is accepted for `key`). Numbers and booleans are literal text.
    static func fields(_ value: JSON?, at location: String) throws(RequestError) -> [Field] {
        var pairs: [(String, JSON)] = []
        switch value {
        case nil, .null?:
            return []
        case .object(let object)?:
            pairs = object.map { ($0.key, $0.value) }
        case .array(let items)?:
            for item in items {
                guard let name = (item["key"] ?? item["name"])?.string, !name.isEmpty else {
                    throw .invalidRequest("\(location): every entry needs a key")
                }
                pairs.append((name, item["value"] ?? .string("")))
            }
        default:
            throw .invalidRequest("\(location): expected an object or a list of {key, value}")
        }
        var fields: [Field] = []
        for (name, value) in pairs {
            let text: String
            switch value {
            case .string(let string): text = string
            case .int, .double, .bool: text = value.templateText
            default: throw .invalidRequest("\(location).\(name): expected a string, number or boolean")
            }
            fields.append(Field(name: name, value: try compile(text, at: "\(location).\(name)")))
        }
        return fields
    }

    static func compile(_ text: String, at location: String) throws(RequestError) -> RequestTemplate {
        do {
            return try RequestTemplate(text)
        } catch {
            throw error.located(location)
        }
    }

    /// An RFC 9110 token: what a header name may be.
    static func checkHeaderName(_ name: String) throws(RequestError) {
        let allowed = "!#$%&'*+-.^_`|~"
        let isToken =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                        || allowed.unicodeScalars.contains($0))
            }
        guard isToken else { throw .invalidRequest("headers: '\(name)' is not a valid header name") }
    }
}
