import JSON
import Secrets

/// Applies a request's computed authentication: HTTP Basic from templates, or the generic methods a
/// custom HTTP connector (or `{"type": "generic"}`) selects in its decrypted `auth` object.
enum RequestAuthenticator {
    /// Adds headers to `request`; returns query parameters to append (an API key sent in the query).
    static func apply(
        _ auth: RequestSpec.Auth, to request: inout PreparedRequest, scopes: JSONObject,
        missing: MissingVariables
    ) throws(RequestError) -> [(name: String, value: String)] {
        switch auth {
        case .none:
            return []
        case .basic(let usernameTemplate, let passwordTemplate):
            let username = try render(usernameTemplate, scopes, missing, at: "auth.username")
            guard !username.isEmpty else { return [] }
            let password = try render(passwordTemplate, scopes, missing, at: "auth.password")
            request.setHeader("Authorization", try basicCredentials(username: username, password: password))
            return []
        case .generic:
            return try applyGeneric(scopes["auth"]?.object, to: &request)
        case .awsSigV4:
            throw RequestError(.unsupportedAuth("aws_sigv4"), "unsupported auth type aws_sigv4")
        case .googleServiceAccount(let credentials):
            guard try !render(credentials, scopes, .empty, at: "auth.credentials_json").isEmpty else {
                return []
            }
            throw RequestError(
                .unsupportedAuth("google_service_account"), "unsupported auth type google_service_account")
        }
    }

    /// The generic methods, selected by the auth object's `method`: `none`, `bearer` (`token`),
    /// `api_key` (`name`, `location` header|query, `value`), `basic` (`username`, `password`), and
    /// `oauth2_client_credentials`/`oauth` with an `access_token` already fetched.
    static func applyGeneric(_ auth: JSONObject?, to request: inout PreparedRequest) throws(RequestError)
        -> [(name: String, value: String)]
    {
        guard let auth, let method = auth["method"]?.string ?? auth["type"]?.string else { return [] }
        switch method {
        case "none":
            return []
        case "bearer":
            request.setHeader("Authorization", "Bearer " + (try secret(auth, "token", method: method)))
            return []
        case "api_key":
            let name = auth["name"]?.string ?? "X-API-Key"
            let value = try secret(auth, "value", method: method)
            switch auth["location"]?.string ?? "header" {
            case "header":
                try RequestSpec.checkHeaderName(name)
                request.setHeader(name, value)
                return []
            case "query":
                return [(name, value)]
            case let other:
                throw .invalidRequest("auth: unknown api_key location '\(other)' (expected header or query)")
            }
        case "basic":
            guard let username = auth["username"]?.string, !username.isEmpty else {
                throw .invalidRequest("auth: basic authentication needs a username")
            }
            let password = auth["password"]?.string ?? ""
            request.setHeader("Authorization", try basicCredentials(username: username, password: password))
            return []
        case "oauth2_client_credentials", "oauth":
            guard let token = auth["access_token"]?.string, !token.isEmpty else {
                throw .invalidRequest("auth: \(method) needs an access token fetched before the request")
            }
            try RequestSpec.checkHeaderValue(token, name: "Authorization")
            request.setHeader("Authorization", "Bearer " + token)
            return []
        default:
            throw RequestError(.unsupportedAuth(method), "unsupported auth type \(method)")
        }
    }

    /// `Basic base64(username:password)` (RFC 7617); a colon in the username would be ambiguous.
    static func basicCredentials(username: String, password: String) throws(RequestError) -> String {
        guard !username.contains(":") else {
            throw .invalidValue("auth: a basic authentication username cannot contain ':'")
        }
        return "Basic " + Base64.encode(Array("\(username):\(password)".utf8))
    }

    private static func secret(_ auth: JSONObject, _ field: String, method: String) throws(RequestError)
        -> String
    {
        guard let value = auth[field]?.string, !value.isEmpty else {
            throw .invalidRequest("auth: \(method) authentication needs '\(field)'")
        }
        try RequestSpec.checkHeaderValue(value, name: field)
        return value
    }

    private static func render(
        _ template: RequestTemplate, _ scopes: JSONObject, _ missing: MissingVariables, at location: String
    ) throws(RequestError) -> String {
        do {
            return try template.render(scopes, in: .text, missing: missing)
        } catch {
            throw error.located(location)
        }
    }
}
