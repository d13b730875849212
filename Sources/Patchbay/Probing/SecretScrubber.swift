import JSON

/// The last line of defence: whatever a probe, a server or a library put into a result, no
/// credential value from `auth` leaves the tester — as written, percent-encoded or JSON-escaped.
///
/// Identifiers in `auth` (`method`, `username`, `client_id`, ...) are not secrets and stay readable;
/// see `RequestRedactor.init(auth:secretKeys:extraSecrets:)`.
struct SecretScrubber {
    let redactor: RequestRedactor

    init(auth: JSONObject) {
        redactor = RequestRedactor(auth: auth)
    }

    func scrub(_ result: ConnectionTestResult) -> ConnectionTestResult {
        guard !redactor.secrets.isEmpty else { return result }
        var scrubbed = result
        scrubbed.message = redactor.scrub(result.message)
        scrubbed.details = [:]
        for (key, value) in result.details {
            scrubbed.details[redactor.scrub(key)] = redactor.scrub(value)
        }
        return scrubbed
    }
}
