import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// `ConnectorService.testDraft`: settings tested before they are saved, with saved secrets standing in
/// for fields left unchanged; nothing is written.
final class ConnectionTestDraftTests: XCTestCase {
    private var harness: ConnectionTestHarness!
    private var stub: StubService!
    private let request = ConnectionTestHarness.request

    override func setUp() async throws {
        harness = try await ConnectionTestHarness.start()
        stub = try StubService()
    }

    override func tearDown() async throws {
        stub?.stop()
        await harness?.stop()
    }

    /// Everything a draft test must leave alone.
    private func snapshot(_ id: UUID) async throws -> [String: String?] {
        try await harness.row(
            id, ["config", "auth_fields", "row_version", "status", "last_tested_at", "updated_at"])
    }

    func testChangesUseTheSavedSecretForFieldsLeftUnchangedAndSaveNothing() async throws {
        // Saved with the right key but a failing path; the draft fixes the path only.
        let connector = try await harness.installREST(
            "Billing", url: stub.url(""), path: "/status/500", token: StubService.goodKey)
        let before = try await snapshot(connector.id)
        let auditBefore = try await harness.audit(connector.id)
        let result = try await harness.service.testDraft(
            .changes(
                connectorID: connector.id,
                ConnectorChanges(config: .merge(["health_check_path": "/v1/balance"]), auth: ["token": .keep])
            ),
            harness.admin)
        XCTAssertTrue(result.success, "the saved key reached the server: \(result.message)")
        ProbeFixtures.assertNoSecret(StubService.goodKey, in: result)
        let after = try await snapshot(connector.id)
        XCTAssertEqual(after, before, "a draft test saves nothing")
        let auditAfter = try await harness.audit(connector.id)
        XCTAssertEqual(auditAfter, auditBefore)

        // A typed secret replaces the saved one for the test only.
        let typed = try await harness.service.testDraft(
            .changes(
                connectorID: connector.id,
                ConnectorChanges(
                    config: .merge(["health_check_path": "/v1/balance"]),
                    auth: ["token": .set(.string("sk_test_" + ProbeFixtures.sentinel))])),
            harness.admin)
        XCTAssertEqual(typed.errorKind, .authRejected)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: typed)
        let stillBefore = try await snapshot(connector.id)
        XCTAssertEqual(stillBefore, before)
    }

    func testANewInstallIsTestedWithoutCreatingAnything() async throws {
        let draft = ConnectionTestDraft.install(
            catalogKey: "rest",
            config: ["base_url": .string(stub.url("")), "health_check_path": "/v1/balance"],
            auth: ["method": "bearer", "token": .string(StubService.goodKey)])
        let result = try await harness.service.testDraft(draft, harness.developer)
        XCTAssertTrue(result.success, result.message)
        let count = try await harness.database.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])
    }

    func testInvalidSettingsAreRefusedBeforeAnythingIsSent() async throws {
        do {
            _ = try await harness.service.testDraft(
                .install(catalogKey: "rest", config: ["base_url": "ftp://nope"], auth: ["method": "none"]),
                harness.developer)
            XCTFail("invalid settings were tested")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
            XCTAssertNotNil(error.fields["config.base_url"])
        }
        XCTAssertEqual(stub.connectionCount, 0)
    }

    func testSavedSecretsGoOnlyWhereTheSavedSettingsPointUnlessAnAdminAsks() async throws {
        let connector = try await harness.installREST(
            "Partner API", url: stub.url(""), path: "/v1/balance", token: StubService.goodKey)
        let elsewhere = ConnectorChanges(config: .merge(["base_url": "http://127.0.0.1:9"]))
        do {
            _ = try await harness.service.testDraft(
                .changes(connectorID: connector.id, elsewhere), harness.developer)
            XCTFail("a developer sent the saved token to other settings")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
        XCTAssertEqual(stub.connectionCount, 0)
        // The saved settings, or a token typed in, are fine for a developer.
        let same = try await harness.service.testDraft(
            .changes(connectorID: connector.id, ConnectorChanges()), harness.developer)
        XCTAssertTrue(same.success, same.message)
        let typed = try await harness.service.testDraft(
            .changes(
                connectorID: connector.id,
                ConnectorChanges(
                    config: .merge(["base_url": .string("http://localhost:\(stub.port)")]),
                    auth: ["token": .set("sk_test_typed_in_0000")])),
            harness.developer)
        XCTAssertEqual(typed.errorKind, .authRejected)
        do {
            _ = try await harness.service.testDraft(
                .changes(connectorID: connector.id, elsewhere), harness.viewer)
            XCTFail("a viewer ran a test")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
    }
}
