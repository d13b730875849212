import JSON

/// Strips secret values from audit details before they are stored.
///
/// Any member whose key mentions a password, token, secret, key, credential or authorization is
/// replaced by `"[redacted]"`, at any depth, so a caller that passes a whole request body cannot leak
/// one into the log.
public enum AuditRedaction {
    public static let placeholder = "[redacted]"
    static let sensitiveWords = [
        "password", "passwd", "token", "secret", "key", "credential", "authorization", "cookie", "csrf",
    ]

    public static func redact(_ object: JSONObject) -> JSONObject {
        JSONObject(
            object.map { member in
                (member.key, isSensitive(member.key) ? .string(placeholder) : redact(member.value))
            })
    }

    static func redact(_ value: JSON) -> JSON {
        switch value {
        case .object(let object): .object(redact(object))
        case .array(let items): .array(items.map(redact))
        default: value
        }
    }

    static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveWords.contains { lowered.contains($0) }
    }
}
