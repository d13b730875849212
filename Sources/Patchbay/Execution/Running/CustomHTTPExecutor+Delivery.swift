import Logging
import Outbound

extension CustomHTTPExecutor {
    /// The last attempt's result, and how many attempts were made.
    struct Delivery {
        var result: Result<OutboundHTTPResponse, OutboundError>
        var attempts: Int
    }

    /// Sends `request`, retrying what `policy` calls retryable: transient network failures and
    /// retryable statuses, after an exponential, jittered wait or the server's `Retry-After`.
    func deliver(
        _ request: OutboundHTTPRequest, policy: RetryPolicy, step: String?, shownURL: String,
        redactor: RequestRedactor
    ) async -> Delivery {
        var generator = RandomSourceGenerator(source: random)
        var attempt = 0
        while true {
            attempt += 1
            let result: Result<OutboundHTTPResponse, OutboundError>
            let retryOutcome: RetryPolicy.Outcome?
            do {
                let response = try await client.send(request)
                result = .success(response)
                retryOutcome = .status(response.status, retryAfter: retryAfter(in: response))
            } catch let error as OutboundError {
                result = .failure(error)
                retryOutcome = Self.isTransient(error) ? .networkError : nil
            } catch {
                result = .failure(.other("the request failed: \(error)"))
                retryOutcome = nil
            }
            guard let retryOutcome,
                let delay = policy.nextDelay(attempt: attempt, outcome: retryOutcome, using: &generator)
            else {
                return Delivery(result: result, attempts: attempt)
            }
            logger.debug(
                "retrying custom HTTP request",
                metadata: [
                    "step": "\(step ?? "-")", "url": "\(shownURL)", "attempt": "\(attempt)",
                    "outcome": "\(redactor.scrub(Self.describe(result)))",
                    "delay_ms": "\(delay / .milliseconds(1))",
                ])
            do {
                try await clock.sleep(delay)
            } catch {
                return Delivery(result: .failure(.cancelled), attempts: attempt)
            }
        }
    }

    private func retryAfter(in response: OutboundHTTPResponse) -> Duration? {
        guard let value = response.headers["Retry-After"] else { return nil }
        return RetryAfter.delay(from: value, now: clock.secondsSince1970())
    }

    /// Failures another attempt may cure. A refused address, a TLS or certificate failure, a bad URL,
    /// an oversized body or a redirect loop would fail the same way again.
    static func isTransient(_ error: OutboundError) -> Bool {
        switch error {
        case .dnsFailure, .connectionRefused, .timeout, .protocolError, .other: true
        default: false
        }
    }

    private static func describe(_ result: Result<OutboundHTTPResponse, OutboundError>) -> String {
        switch result {
        case .success(let response): "HTTP \(response.status)"
        case .failure(let error): error.description
        }
    }
}
