/// Why an execution failed, classified so people (and the UI) can tell a broken config from a
/// server that said no. Messages name fields, hosts and statuses, never credential values.
public struct ExecutionFailure: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The connector's config cannot be compiled (bad URL template, unknown body type, bad steps).
        case invalidConfig = "invalid_config"
        /// A template needs a variable the call did not supply and that has no default.
        case missingVariable = "missing_variable"
        /// The request could not be built from the values given (a line break in a header value, a
        /// body that is not well formed, auth that cannot be applied).
        case invalidRequest = "invalid_request"
        /// The destination is refused by the outbound policy (private, loopback, metadata addresses).
        case blocked
        /// No usable answer: DNS failure, connection refused or reset, TLS failure, redirect loop.
        case network
        /// No answer within the configured timeout.
        case timeout
        /// The server answered with a status of 400 or more.
        case httpStatus = "http_status"
        /// The response body went past the size limit.
        case responseTooLarge = "response_too_large"
        /// The run was cancelled before it finished.
        case cancelled
        /// A chain could not record one of its executions.
        case recording
        /// The connector could not run when a worker took up its queued execution: it was
        /// deactivated, put in error or deleted since.
        case notRunnable = "not_runnable"
    }

    public var kind: Kind
    public var message: String
    /// The step (multi-step connector) or connector (chain) that failed, when there is one.
    public var step: String?

    public init(_ kind: Kind, _ message: String, step: String? = nil) {
        self.kind = kind
        self.message = message
        self.step = step
    }

    public var description: String { message }
}
