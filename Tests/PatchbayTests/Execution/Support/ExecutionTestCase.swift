import JSON
import Logging
import Outbound
import Patchbay
import Synchronization
import XCTest

/// Starts a scripted server per test and builds executors whose sleeps are recorded, not slept.
class ExecutionTestCase: XCTestCase {
    var server: ScriptedHTTPServer!
    let sleeps = SleepRecorder()

    override func setUpWithError() throws {
        server = try ScriptedHTTPServer()
    }

    override func tearDown() {
        server.stop()
    }

    /// An executor allowed to reach 127.0.0.1, with recorded sleeps and full-ceiling jitter unless
    /// told otherwise.
    func executor(
        limits: ExecutionLimits = .standard, random: RandomSource = .constant(.max), realSleep: Bool = false
    ) throws -> CustomHTTPExecutor {
        let client = OutboundHTTPClient(policy: try OutboundPolicy(allowList: "127.0.0.1"))
        var clock = ExecutionClock.live
        if !realSleep {
            let recorder = sleeps
            clock.sleep = { duration in recorder.record(duration) }
        }
        return CustomHTTPExecutor(
            client: client, clock: clock, random: random, limits: limits,
            logger: Logger(label: "test.execution"))
    }

    /// Runs `config` with the usual scopes.
    func run(
        _ config: JSON, auth: JSON = ["method": "none"], input: JSON = [:], contact: JSON = [:],
        workspace: JSON = [:], executor given: CustomHTTPExecutor? = nil
    ) async throws -> ExecutionOutcome {
        let executor = try given ?? self.executor()
        return await executor.run(
            config: config, auth: auth, input: input, contact: contact, workspace: workspace)
    }

    func url(_ path: String) -> JSON { .string(server.url(path)) }
}

/// The waits an executor asked for.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    func record(_ delay: Duration) { delays.withLock { $0.append(delay) } }

    var recorded: [Duration] { delays.withLock { $0 } }
}
