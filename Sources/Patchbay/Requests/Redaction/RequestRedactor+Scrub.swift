import JSON

extension RequestRedactor {
    /// The URL without userinfo, with sensitive query values redacted and secrets scrubbed.
    func redactURL(_ url: String) -> String {
        var text = Self.removingUserinfo(url)
        var fragment = ""
        if let hash = text.firstIndex(of: "#") {
            fragment = String(text[hash...])
            text = String(text[..<hash])
        }
        if let question = text.firstIndex(of: "?") {
            let query = String(text[text.index(after: question)...])
            text = scrub(String(text[..<question])) + "?" + redactPairs(query)
        } else {
            text = scrub(text)
        }
        return text + scrub(fragment)
    }

    /// `a=1&b=2` with sensitive names' values replaced and secrets scrubbed from the rest.
    func redactPairs(_ pairs: String) -> String {
        pairs.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            let decodedName = Self.percentDecode(name)
            let decodedValue = Self.percentDecode(value)
            if isSensitiveName(decodedName, headerRules: false) || containsSecret(decodedValue) {
                return scrub(name) + "=" + Self.placeholder
            }
            return parts.count > 1 ? scrub(name) + "=" + scrub(value) : scrub(name)
        }.joined(separator: "&")
    }

    func redactBody(_ request: PreparedRequest) -> [UInt8] {
        guard !request.body.isEmpty else { return [] }
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            return Array(redactPairs(request.bodyText).utf8)
        }
        if UTF8Search.contains(contentType, "json"), let value = try? JSON(parsing: request.body) {
            return Array(scrub(redactJSON(value).serializedString()).utf8)
        }
        return Array(scrub(request.bodyText).utf8)
    }

    /// String members under secret-looking names become `[redacted]`.
    private func redactJSON(_ value: JSON) -> JSON {
        switch value {
        case .array(let items):
            return .array(items.map(redactJSON))
        case .object(let object):
            var redacted = JSONObject()
            for (key, member) in object {
                if case .string = member, isSensitiveName(key, headerRules: false) {
                    redacted[key] = .string(Self.placeholder)
                } else {
                    redacted[key] = redactJSON(member)
                }
            }
            return .object(redacted)
        default:
            return value
        }
    }

    /// Every secret replaced, in each form it may have taken on the way into the request.
    func scrub(_ text: String) -> String {
        var text = text
        for (secret, forms) in scrubForms where secret.utf8.count >= Self.minimumScrubLength || text == secret
        {
            for form in forms where UTF8Search.contains(text, form) {
                text = UTF8Search.replacing(form, with: Self.placeholder, in: text)
            }
        }
        return text
    }

    static func encodedForms(of secret: String) -> [String] {
        let jsonEscaped = String(JSON.string(secret).serializedString().dropFirst().dropLast())
        let forms = [
            secret, TextEncoding.percentEncodeComponent(secret), TextEncoding.formEncode(secret),
            TextEncoding.percentEncodeIllegal(secret), jsonEscaped,
        ]
        var unique: [String] = []
        for form in forms where !unique.contains(form) { unique.append(form) }
        return unique
    }

    /// `https://user:pass@host/` → `https://host/`.
    static func removingUserinfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// Percent-decoding with `+` as space; malformed escapes stay as they are.
    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%"), index + 2 < source.count,
                let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension PreparedRequest {
    /// This request made safe to store or log, given the connector's decrypted auth object (see
    /// `RequestRedactor.init(auth:secretKeys:extraSecrets:)`).
    public func redacted(auth: JSONObject?, secretKeys: Set<String>? = nil, extraSecrets: [String] = [])
        -> PreparedRequest
    {
        RequestRedactor(auth: auth, secretKeys: secretKeys, extraSecrets: extraSecrets).redact(self)
    }
}
