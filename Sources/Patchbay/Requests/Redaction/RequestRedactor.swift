import JSON

/// Makes a prepared request safe to store or log.
///
/// Credential-bearing headers (`Authorization`, `Proxy-Authorization`, `Cookie`, API key and token
/// headers) and query parameters (`api_key`, `token`, `signature`, …) keep their names with the value
/// `[redacted]`; URL userinfo is removed; and every known secret value is scrubbed wherever it still
/// appears — header and query values, the URL path, the body — as written, percent-encoded,
/// form-encoded or JSON-escaped. String members of a JSON body under secret-looking names are
/// redacted too.
public struct RequestRedactor: Sendable {
    public static let placeholder = "[redacted]"

    /// Values scrubbed wherever they appear, longest first.
    public let secrets: [String]
    /// Each secret with the forms it may take in a request (see `encodedForms`), worked out once.
    let scrubForms: [(secret: String, forms: [String])]
    /// Extra header or query names (normalized) to redact, such as an API key's configured name.
    let sensitiveNames: Set<String>

    /// A redactor for `secrets`, plus the parameter names given.
    public init(secrets: [String], sensitiveNames: [String] = []) {
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.utf8.count > $1.utf8.count }
        self.scrubForms = self.secrets.map { ($0, Self.encodedForms(of: $0)) }
        self.sensitiveNames = Set(sensitiveNames.map(Self.normalize))
    }

    /// A redactor for a decrypted auth object. With `secretKeys` (the schema's `x-secret` fields), the
    /// values under those names are the secrets; without, every string in it is, except names,
    /// methods and other identifiers (`method`, `type`, `name`, `location`, `username`, `client_id`,
    /// …). The API key's `name`, when it has one, is redacted as a header or query parameter.
    public init(auth: JSONObject?, secretKeys: Set<String>? = nil, extraSecrets: [String] = []) {
        var secrets = extraSecrets
        if let auth { Self.collectSecrets(in: .object(auth), keys: secretKeys, into: &secrets) }
        let keyName = auth?["method"]?.string == "api_key" ? auth?["name"]?.string : nil
        self.init(secrets: secrets, sensitiveNames: keyName.map { [$0] } ?? [])
    }

    /// `request` with its credentials replaced by `[redacted]`.
    public func redact(_ request: PreparedRequest) -> PreparedRequest {
        var redacted = request
        redacted.headers = request.headers.map { header in
            let isSensitive = isSensitiveName(header.name, headerRules: true) || containsSecret(header.value)
            return isSensitive ? .init(name: header.name, value: Self.placeholder) : header
        }
        redacted.url = redactURL(request.url)
        redacted.body = redactBody(request)
        return redacted
    }

    static let nonSecretKeys: Set<String> = [
        "method", "type", "name", "location", "username", "user", "client_id", "token_url", "scope", "scopes",
        "audience", "region", "service", "subject", "grant_type", "expires_at", "token_type",
    ]

    /// With `keys`, strings under those names (at any depth); without, strings not under a
    /// non-secret name.
    private static func collectSecrets(
        in value: JSON, keys: Set<String>?, isUnderSecretKey: Bool = false, into secrets: inout [String]
    ) {
        switch value {
        case .string(let text):
            if keys == nil || isUnderSecretKey { secrets.append(text) }
        case .array(let items):
            for item in items {
                collectSecrets(in: item, keys: keys, isUnderSecretKey: isUnderSecretKey, into: &secrets)
            }
        case .object(let object):
            for (key, member) in object {
                if let keys {
                    let isSecret = isUnderSecretKey || keys.contains(key)
                    collectSecrets(in: member, keys: keys, isUnderSecretKey: isSecret, into: &secrets)
                } else if !nonSecretKeys.contains(key) {
                    collectSecrets(in: member, keys: nil, into: &secrets)
                }
            }
        default:
            return
        }
    }

    /// Lower case without `-` and `_`, so `X-Api-Key`, `x_api_key` and `XAPIKEY` compare equal.
    static func normalize(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" })
    }

    private static let sensitiveHeaderNames: Set<String> = [
        "authorization", "proxyauthorization", "cookie", "setcookie",
    ]
    private static let sensitiveParameterNames: Set<String> = ["key", "sig", "auth", "code", "pass", "pwd"]
    private static let sensitiveWords = [
        "apikey", "token", "secret", "password", "passwd", "signature", "credential", "session", "accesskey",
        "privatekey", "subscriptionkey", "xauth",
    ]

    func isSensitiveName(_ name: String, headerRules: Bool) -> Bool {
        let normalized = Self.normalize(name)
        if sensitiveNames.contains(normalized) { return true }
        if headerRules
            ? Self.sensitiveHeaderNames.contains(normalized)
            : Self.sensitiveParameterNames.contains(normalized)
        {
            return true
        }
        return Self.sensitiveWords.contains { UTF8Search.contains(normalized, $0) }
    }

    func containsSecret(_ text: String) -> Bool {
        secrets.contains { secret in
            text == secret
                || (secret.utf8.count >= Self.minimumScrubLength && UTF8Search.contains(text, secret))
        }
    }

    /// Shorter secrets are only matched as whole values: scrubbing every `abc` would mangle the rest.
    static let minimumScrubLength = 4
}
