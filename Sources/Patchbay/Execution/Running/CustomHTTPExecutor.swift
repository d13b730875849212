import JSON
import Logging
import Outbound

/// Runs custom HTTP connectors (the `custom-http` catalog type): renders the configured request or
/// steps against the call's `input`, `contact` and `workspace`, applies the connector's auth, sends
/// with retries, maps the response and returns an `ExecutionOutcome` free of credentials.
///
/// All I/O is injected: the outbound client (with its SSRF policy), the clock and sleep, and the
/// jitter's random source. Nothing is stored here; the caller records the outcome.
public struct CustomHTTPExecutor: Sendable {
    public let client: OutboundHTTPClient
    public let clock: ExecutionClock
    public let random: RandomSource
    public let limits: ExecutionLimits
    public let logger: Logger

    public init(
        client: OutboundHTTPClient, clock: ExecutionClock = .live, random: RandomSource = .system,
        limits: ExecutionLimits = .standard, logger: Logger
    ) {
        self.client = client
        self.clock = clock
        self.random = random
        self.limits = limits
        self.logger = logger
    }

    /// Compiles `config` and runs it; a config that does not compile is a failed outcome
    /// (`invalid_config`), never a thrown error. `auth` is the connector's decrypted auth object.
    public func run(config: JSON, auth: JSON, input: JSON, contact: JSON, workspace: JSON) async
        -> ExecutionOutcome
    {
        let plan: ExecutionPlan
        do {
            plan = try ExecutionPlan(config: config)
        } catch {
            let failure = ExecutionFailure(
                .invalidConfig, "the connector's config is invalid: \(error.message)")
            return .failed(failure)
        }
        return await run(plan, auth: auth, input: input, contact: contact, workspace: workspace)
    }

    /// Runs a compiled plan: its steps in order, each seeing the earlier ones' results as
    /// `steps.<name>`, stopping at the first that fails.
    public func run(_ plan: ExecutionPlan, auth: JSON, input: JSON, contact: JSON, workspace: JSON) async
        -> ExecutionOutcome
    {
        let started = clock.now()
        let redactor = Self.redactor(for: auth)
        var scopes: JSONObject = [
            "input": input, "contact": contact, "workspace": workspace, "auth": auth, "steps": .object([:]),
        ]
        var stepResults = JSONObject()
        var outcomes: [StepOutcome] = []
        var skipped: [String] = []
        for (index, step) in plan.steps.enumerated() {
            scopes["steps"] = .object(stepResults)
            let run = await self.run(step, scopes: scopes, redactor: redactor)
            guard let name = step.name else { return run.outcome }
            outcomes.append(StepOutcome(name: name, outcome: run.outcome))
            stepResults[name] = run.scopeValue
            if run.outcome.status == .failed {
                skipped = plan.steps[(index + 1)...].compactMap(\.name)
                break
            }
        }
        return Self.combine(outcomes, skipped: skipped, durationMs: milliseconds(since: started))
    }

    /// Scrubs the auth's secrets and, for basic auth, the encoded credentials too: a server that
    /// echoes its request headers would otherwise hand them back in base64.
    static func redactor(for auth: JSON) -> RequestRedactor {
        var extra: [String] = []
        if auth["method"]?.string == "basic", let username = auth["username"]?.string,
            let header = try? RequestAuthenticator.basicCredentials(
                username: username, password: auth["password"]?.string ?? "")
        {
            extra.append(String(header.dropFirst("Basic ".count)))
        }
        return RequestRedactor(auth: auth.object, extraSecrets: extra)
    }

    func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = clock.now() - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// One outcome for a multi-step run: every step's mapped values merged in order, attempts summed,
    /// the last step's status, response and request, and the failing step's error.
    static func combine(_ steps: [StepOutcome], skipped: [String], durationMs: Int) -> ExecutionOutcome {
        var outcome = ExecutionOutcome(
            status: .completed, durationMs: durationMs, steps: steps, skippedSteps: skipped)
        for step in steps {
            outcome.mapped.mergeDeeply(step.outcome.mapped)
            outcome.mappingProblems += step.outcome.mappingProblems
            outcome.attempts += step.outcome.attempts
        }
        guard let last = steps.last else { return outcome }
        outcome.httpStatus = last.outcome.httpStatus
        outcome.rawResponse = last.outcome.rawResponse
        outcome.isRawResponseTruncated = last.outcome.isRawResponseTruncated
        outcome.redactedRequest = last.outcome.redactedRequest
        if last.outcome.status == .failed, let error = last.outcome.error {
            outcome.status = .failed
            outcome.error = ExecutionFailure(
                error.kind, "step '\(last.name)' failed: \(error.message)", step: last.name)
        }
        return outcome
    }
}
