import JSON

extension PreparedRequest {
    /// The request as a JSON object for an execution record or a log line:
    /// `{"method", "url", "headers": {name: value}, "body"}`. A JSON body is kept as JSON, any other
    /// body as text cut to `maxBodyBytes` (with `"body_truncated": true`). Redact first: this keeps
    /// whatever values it is given.
    public func summary(maxBodyBytes: Int = 16 * 1024) -> JSON {
        var headerObject = JSONObject()
        for header in headers {
            // Repeated headers join as HTTP would fold them.
            let joined = headerObject[header.name]?.string.map { $0 + ", " + header.value } ?? header.value
            headerObject[header.name] = .string(joined)
        }
        var object: JSONObject = [
            "method": .string(method), "url": .string(url), "headers": .object(headerObject),
        ]
        guard !body.isEmpty else { return .object(object) }
        if body.count <= maxBodyBytes, let value = try? JSON(parsing: body) {
            object["body"] = value
        } else if body.count <= maxBodyBytes {
            object["body"] = .string(bodyText)
        } else {
            // Cut on a character boundary: decoding a prefix replaces a split sequence at the end.
            object["body"] = .string(String(decoding: body.prefix(maxBodyBytes), as: UTF8.self))
            object["body_truncated"] = true
        }
        return .object(object)
    }
}
