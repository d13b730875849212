import JSON
import Outbound

/// Turns a response into the outcome's status, raw text and mapped values, and into the value later
/// steps read.
struct ResponseReading {
    let response: OutboundHTTPResponse
    let mappings: [FieldMapping]
    let redactor: RequestRedactor
    let rawResponseBytes: Int
    /// The body as JSON, when it is JSON.
    let json: JSON?

    init(
        response: OutboundHTTPResponse, mappings: [FieldMapping], redactor: RequestRedactor,
        rawResponseBytes: Int
    ) {
        self.response = response
        self.mappings = mappings
        self.redactor = redactor
        self.rawResponseBytes = rawResponseBytes
        json = response.body.isEmpty ? nil : try? JSON(parsing: response.body)
    }

    /// A status under 400 completes the run and the mappings apply; 400 and above fail it with the
    /// body kept for people to read. Everything kept is scrubbed of the auth's secrets, in case the
    /// server echoed one.
    func fill(_ outcome: inout ExecutionOutcome, step: String?) {
        outcome.httpStatus = response.status
        // Scrub before cutting, so that a cut cannot leave part of a secret behind.
        let (raw, isTruncated) = Self.cut(redactor.scrub(response.text), toBytes: rawResponseBytes)
        outcome.rawResponse = raw
        outcome.isRawResponseTruncated = isTruncated
        guard response.status < 400 else {
            var message = "the server answered with HTTP \(response.status)"
            if outcome.attempts > 1 { message += " (after \(outcome.attempts) attempts)" }
            outcome.error = ExecutionFailure(.httpStatus, message, step: step)
            return
        }
        outcome.status = .completed
        guard let json else {
            let message = response.body.isEmpty ? "the response has no body" : "the response is not JSON"
            outcome.mappingProblems = mappings.map { Self.problem($0, message, step: step) }
            return
        }
        let result = FieldMapping.apply(mappings, to: json)
        outcome.mapped = redactor.secrets.isEmpty ? result.mapped : scrub(result.mapped)
        outcome.mappingProblems = result.problems.map { Self.problem($0.mapping, $0.message, step: step) }
    }

    /// `{status, response, mapped, headers}`: what `{{steps.<name>.…}}` reads. Unscrubbed: the next
    /// request is redacted again before anything is kept.
    func scopeValue(mapped: JSONObject) -> JSON {
        var headers = JSONObject()
        for field in response.headers {
            let name = field.name.lowercased()
            headers[name] = .string(headers[name]?.string.map { $0 + ", " + field.value } ?? field.value)
        }
        return [
            "status": .int(Int64(response.status)), "response": json ?? .string(response.text),
            "mapped": .object(mapped), "headers": .object(headers),
        ]
    }

    private static func problem(_ mapping: FieldMapping, _ message: String, step: String?) -> MappingProblem {
        MappingProblem(
            step: step, sourcePath: mapping.source.rootedDescription, targetField: mapping.target,
            message: message)
    }

    private func scrub(_ object: JSONObject) -> JSONObject {
        JSONObject(object.map { ($0.key, scrub($0.value)) })
    }

    private func scrub(_ value: JSON) -> JSON {
        switch value {
        case .string(let text): .string(redactor.scrub(text))
        case .array(let items): .array(items.map(scrub))
        case .object(let object): .object(scrub(object))
        default: value
        }
    }

    /// `text` cut to at most `limit` UTF-8 bytes, on a character boundary.
    static func cut(_ text: String, toBytes limit: Int) -> (String, Bool) {
        guard text.utf8.count > limit else { return (text, false) }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: max(0, limit))
        while end > text.startIndex, end.samePosition(in: text) == nil {
            end = text.utf8.index(before: end)
        }
        return (String(text[..<end]), true)
    }
}
