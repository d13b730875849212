import FoundationEssentials
import JSON
import Patchbay
import Synchronization
import XCTest

final class ChainExecutionTests: ExecutionTestCase {
    /// enrich → verify email → validate address; verify uses the first name enrich mapped, validate the
    /// city it merged into the contact's address.
    func links() -> [ChainLink] {
        [
            ChainLink(
                name: "enrich",
                config: [
                    "url": url("/enrich"), "query_params": [["key": "email", "value": "{{contact.email}}"]],
                    "field_mappings": [
                        ["source_path": "$.person.first", "target_field": "firstname"],
                        ["source_path": "$.person.city", "target_field": "address.city"],
                    ],
                ], auth: ["method": "bearer", "token": "enrich-token"]),
            ChainLink(
                name: "verify",
                config: [
                    "method": "POST", "url": url("/verify"), "body_type": "json",
                    "body": #"{"email": "{{contact.email}}", "name": "{{contact.firstname}}"}"#,
                    "field_mappings": [["source_path": "$.deliverable", "target_field": "email_verified"]],
                ], auth: ["method": "api_key", "name": "X-Key", "location": "header", "value": "verify-key"]),
            ChainLink(
                name: "validate",
                config: [
                    "url": .string(server.url("/validate/{{contact.address.zip}}")),
                    "query_params": [["key": "city", "value": "{{contact.address.city}}"]],
                    "field_mappings": [["source_path": "$.valid", "target_field": "address_valid"]],
                ], auth: ["method": "none"]),
        ]
    }

    func runChain(recorder: ChainRecorder = .none) async throws -> ChainOutcome {
        await ChainRunner(executor: try executor()).run(
            connectors: links(), contact: ["email": "ada@example.com", "address": ["zip": "N1 9GU"]],
            workspace: ["id": "w1"], input: [:], recorder: recorder)
    }

    func testThreeConnectorsEachSeeingTheContactTheEarlierOnesLeft() async throws {
        server.script("/enrich", .json(#"{"person": {"first": "Ada", "city": "London"}}"#))
        server.script("/verify", .json(#"{"deliverable": true}"#))
        server.script("/validate/N1%209GU", .json(#"{"valid": true}"#))
        let log = RecorderLog()
        let outcome = try await runChain(recorder: log.recorder)
        XCTAssertEqual(outcome.status, .completed, outcome.error?.message ?? "")
        XCTAssertEqual(
            outcome.contact,
            [
                "email": "ada@example.com", "address": ["zip": "N1 9GU", "city": "London"],
                "firstname": "Ada",
                "email_verified": true, "address_valid": true,
            ])
        XCTAssertEqual(outcome.steps.map(\.name), ["enrich", "verify", "validate"])
        XCTAssertEqual(
            try JSON(parsing: server.received("/verify").first?.body ?? []),
            ["email": "ada@example.com", "name": "Ada"])
        XCTAssertEqual(server.received("/validate/N1%209GU").first?.target, "/validate/N1%209GU?city=London")
        XCTAssertEqual(server.received("/enrich").first?.header("Authorization"), "Bearer enrich-token")
        XCTAssertEqual(server.received("/verify").first?.header("X-Key"), "verify-key")
        XCTAssertNil(server.received("/verify").first?.header("Authorization"))

        XCTAssertEqual(log.started.map(\.position), [0, 1, 2])
        XCTAssertEqual(log.started[1].contact["firstname"], "Ada")
        XCTAssertEqual(outcome.steps.map(\.executionID), log.ids)
        XCTAssertEqual(log.finished.map(\.id), log.ids)
        XCTAssertEqual(log.finished.map(\.status), [.completed, .completed, .completed])

        let json = outcome.json()
        XCTAssertEqual(json["status"], "completed")
        XCTAssertEqual(json["contact"], .object(outcome.contact))
        XCTAssertEqual(json["steps"]?[2]?["name"], "validate")
        XCTAssertEqual(json["steps"]?[2]?["mapped"], ["address_valid": true])
        XCTAssertEqual(json["steps"]?[0]?["execution_id"]?.string, log.ids[0]?.uuidString.lowercased())
        XCTAssertFalse(json.serializedString().contains("enrich-token"))
        XCTAssertFalse(json.serializedString().contains("verify-key"))
    }

    func testChainStopsAtTheFirstFailure() async throws {
        server.script("/enrich", .json(#"{"person": {"first": "Ada", "city": "London"}}"#))
        server.script("/verify", .json(#"{"error": "quota"}"#, status: 402))
        server.script("/validate/N1%209GU", .json(#"{"valid": true}"#))
        let log = RecorderLog()
        let outcome = try await runChain(recorder: log.recorder)
        XCTAssertEqual(outcome.status, .failed)
        XCTAssertEqual(outcome.error?.step, "verify")
        XCTAssertEqual(outcome.error?.message, "connector 'verify' failed: the server answered with HTTP 402")
        XCTAssertEqual(outcome.skipped, ["validate"])
        XCTAssertEqual(outcome.steps.map(\.outcome.status), [.completed, .failed])
        XCTAssertEqual(outcome.contact["firstname"], "Ada")
        XCTAssertNil(outcome.contact["email_verified"])
        XCTAssertEqual(server.hits("/validate/N1%209GU"), 0)
        XCTAssertEqual(log.finished.count, 2)
        XCTAssertEqual(outcome.json()["skipped"], ["validate"])
        XCTAssertEqual(outcome.json()["error"]?["step"], "verify")
    }

    func testRecordingFailureStopsTheChainBeforeSending() async throws {
        struct Unavailable: Error, CustomStringConvertible {
            var description: String { "database unavailable" }
        }
        let recorder = ChainRecorder(willRun: { _, _, _ in throw Unavailable() }, didRun: { _, _ in })
        let outcome = try await runChain(recorder: recorder)
        XCTAssertEqual(outcome.error?.kind, .recording)
        XCTAssertEqual(
            outcome.error?.message, "the run of 'enrich' could not be recorded: database unavailable")
        XCTAssertEqual(outcome.skipped, ["enrich", "verify", "validate"])
        XCTAssertEqual(server.allReceived.count, 0)
    }
}

/// Records what a chain reported, handing out fresh execution ids.
final class RecorderLog: Sendable {
    struct Started: Sendable {
        var position: Int
        var contact: JSONObject
        var id: UUID
    }

    private let state = Mutex<(started: [Started], finished: [(id: UUID?, status: ExecutionOutcome.Status)])>(
        ([], []))

    var started: [Started] { state.withLock { $0.started } }
    var ids: [UUID?] { started.map(\.id) }
    var finished: [(id: UUID?, status: ExecutionOutcome.Status)] { state.withLock { $0.finished } }

    var recorder: ChainRecorder {
        ChainRecorder(
            willRun: { position, _, contact in
                let id = UUID()
                self.state.withLock {
                    $0.started.append(Started(position: position, contact: contact, id: id))
                }
                return id
            },
            didRun: { id, outcome in self.state.withLock { $0.finished.append((id, outcome.status)) } })
    }
}
