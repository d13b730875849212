import JSON

/// What one run of a custom HTTP connector came to: the record a caller stores in
/// `connector_executions` and returns from the execute API.
///
/// Nothing in it holds a credential: the request is redacted, and the raw response, the mapped
/// values and the error messages are scrubbed of every secret of the connector's auth.
public struct ExecutionOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case completed, failed
    }

    public var status: Status
    /// The last response's status code; nil when no response came back.
    public var httpStatus: Int?
    /// The values the field mappings copied out of the response (every step's, merged in order).
    public var mapped: JSONObject
    /// Mappings that found nothing; the run still completes.
    public var mappingProblems: [MappingProblem]
    /// The last response body as text, cut to the configured cap.
    public var rawResponse: String?
    /// Whether `rawResponse` was cut.
    public var isRawResponseTruncated: Bool
    /// From the first attempt to the end, retry waits included.
    public var durationMs: Int
    /// Requests sent, retries included (every step's, summed).
    public var attempts: Int
    /// Why the run failed; nil when it completed.
    public var error: ExecutionFailure?
    /// The last request sent (or that would have been sent), credentials redacted; nil when the request
    /// could not be built.
    public var redactedRequest: PreparedRequest?
    /// For a multi-step connector, each step that ran, in order; empty for a single request.
    public var steps: [StepOutcome]
    /// Steps that did not run because an earlier one failed.
    public var skippedSteps: [String]

    public init(
        status: Status, httpStatus: Int? = nil, mapped: JSONObject = JSONObject(),
        mappingProblems: [MappingProblem] = [], rawResponse: String? = nil,
        isRawResponseTruncated: Bool = false, durationMs: Int = 0, attempts: Int = 0,
        error: ExecutionFailure? = nil, redactedRequest: PreparedRequest? = nil, steps: [StepOutcome] = [],
        skippedSteps: [String] = []
    ) {
        self.status = status
        self.httpStatus = httpStatus
        self.mapped = mapped
        self.mappingProblems = mappingProblems
        self.rawResponse = rawResponse
        self.isRawResponseTruncated = isRawResponseTruncated
        self.durationMs = durationMs
        self.attempts = attempts
        self.error = error
        self.redactedRequest = redactedRequest
        self.steps = steps
        self.skippedSteps = skippedSteps
    }

    /// A run that failed before any request was sent.
    static func failed(_ failure: ExecutionFailure, durationMs: Int = 0) -> ExecutionOutcome {
        ExecutionOutcome(status: .failed, durationMs: durationMs, error: failure)
    }
}

/// One step of a multi-step connector and what it came to (its own `steps` is empty).
public struct StepOutcome: Sendable, Hashable {
    public var name: String
    public var outcome: ExecutionOutcome
}

/// A field mapping that found nothing, and why.
public struct MappingProblem: Sendable, Hashable {
    /// The step whose mapping it is, for a multi-step connector.
    public var step: String?
    /// The source path as written back (`$.identities[0].firstName`).
    public var sourcePath: String
    public var targetField: String
    public var message: String

    public init(step: String?, sourcePath: String, targetField: String, message: String) {
        self.step = step
        self.sourcePath = sourcePath
        self.targetField = targetField
        self.message = message
    }
}
