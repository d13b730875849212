import JSON
import Outbound

extension CustomHTTPExecutor {
    /// One step's outcome, and the value later steps read as `steps.<name>`:
    /// `{status, response, mapped, headers}` (`response` is the parsed JSON body, or its text).
    struct StepRun {
        var outcome: ExecutionOutcome
        var scopeValue: JSON
    }

    /// Only these statuses are ever retried, whatever the config lists: 429 and 5xx.
    static let retryableStatuses: Set<Int> = RetryPolicy.defaultRetryableStatuses

    func run(_ step: ExecutionPlan.Step, scopes: JSONObject, redactor: RequestRedactor) async -> StepRun {
        let started = clock.now()
        let prepared: PreparedRequest
        do {
            prepared = try step.settings.request.prepare(scopes)
        } catch {
            var failure = Self.failure(for: error)
            failure.step = step.name
            let outcome = ExecutionOutcome.failed(failure, durationMs: milliseconds(since: started))
            return StepRun(outcome: outcome, scopeValue: ["status": .null])
        }
        let redacted = redactor.redact(prepared)
        let settings = step.settings
        let request = OutboundHTTPRequest(
            method: prepared.method, url: prepared.url,
            headers: OutboundHTTPHeaders(prepared.headers.map { .init(name: $0.name, value: $0.value) }),
            body: prepared.body, timeout: settings.timeout,
            redirects: settings.followRedirects ? .follow(max: limits.maxRedirects) : .none,
            maxResponseBytes: limits.maxResponseBytes)
        var policy = settings.retry
        policy.retryableStatuses.formIntersection(Self.retryableStatuses)
        policy.maxRetryAfter = limits.maxRetryAfter
        policy.maxDelay = min(policy.maxDelay, limits.maxBackoff)
        let delivery = await deliver(
            request, policy: policy, step: step.name, shownURL: redacted.url, redactor: redactor)

        var outcome = ExecutionOutcome(
            status: .failed, attempts: delivery.attempts, redactedRequest: redacted)
        var scopeValue: JSON = ["status": .null]
        switch delivery.result {
        case .failure(let error):
            outcome.error = failure(
                for: error, attempts: delivery.attempts, redactor: redactor, step: step.name)
        case .success(let response):
            let reading = ResponseReading(
                response: response, mappings: settings.fieldMappings, redactor: redactor,
                rawResponseBytes: limits.rawResponseBytes)
            reading.fill(&outcome, step: step.name)
            scopeValue = reading.scopeValue(mapped: outcome.mapped)
        }
        outcome.durationMs = milliseconds(since: started)
        return StepRun(outcome: outcome, scopeValue: scopeValue)
    }

    /// A request that could not be rendered.
    static func failure(for error: RequestError) -> ExecutionFailure {
        switch error.kind {
        case .missingVariable: ExecutionFailure(.missingVariable, error.message)
        case .syntax, .invalidPath: ExecutionFailure(.invalidConfig, error.message)
        case .invalidValue, .invalidRequest, .unsupportedAuth:
            ExecutionFailure(.invalidRequest, error.message)
        }
    }

    /// A request that got no usable response, scrubbed: an error text may quote the URL's path.
    func failure(for error: OutboundError, attempts: Int, redactor: RequestRedactor, step: String?)
        -> ExecutionFailure
    {
        let kind: ExecutionFailure.Kind
        var message = error.description
        switch error {
        case .timeout: kind = .timeout
        case .addressNotAllowed: kind = .blocked
        case .cancelled: kind = .cancelled
        case .invalidURL, .invalidRequest: kind = .invalidRequest
        case .responseTooLarge(let limit):
            kind = .responseTooLarge
            message = "the response body is larger than the limit of \(limit) bytes"
        default: kind = .network
        }
        if attempts > 1 { message += " (after \(attempts) attempts)" }
        return ExecutionFailure(kind, redactor.scrub(message), step: step)
    }
}
