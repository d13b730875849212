import Foundation
import JSON
import Patchbay
import Postgres
import TestSupport
import XCTest

final class ConnectorServiceTests: XCTestCase {
    private var harness: TestEnvironment!
    private var service: ConnectorService!
    private var acme: Tenant!
    private var owner: Identity!
    private var viewer: Identity!
    private let request = RequestInfo(requestID: "test", ip: "127.0.0.1")

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
        let catalog = try await ConnectorFixtures.catalog(harness.environment)
        service = ConnectorService(environment: harness.environment, catalog: catalog)
        acme = try await harness.fixtures.tenant("acme", name: "Acme")
        owner = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@acme.test", of: acme, role: .owner, name: "Olive Owner"),
            in: acme)
        viewer = try await harness.fixtures.identity(
            try await harness.fixtures.member("viewer@acme.test", of: acme, role: .viewer), in: acme)
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    func testInstallStoresOnlyACiphertextAndAFingerprint() async throws {
        let secret = ConnectorFixtures.sentinel()
        let connector = try await service.install(
            ConnectorFixtures.openAI("  Main AI  ", secret: secret), owner, request: request)
        XCTAssertEqual(connector.name, "Main AI", "the name is trimmed")
        XCTAssertEqual(connector.status, .inactive)
        XCTAssertEqual(connector.rowVersion, 1)
        XCTAssertEqual(connector.catalog.key, "openai")
        let field = try XCTUnwrap(connector.authField("api_key"))
        XCTAssertTrue(field.isSecret)
        XCTAssertNil(field.value)
        XCTAssertTrue(field.fingerprint.hasPrefix("hmac-sha256:"))
        XCTAssertEqual(field.updatedBy, "Olive Owner")
        let raw = try await harness.fixtures.column(
            "SELECT row_to_json(c)::text FROM connectors c UNION ALL SELECT encode(auth_ciphertext, 'escape') FROM connectors"
        )
        XCTAssertEqual(raw.count, 2)
        for text in raw {
            XCTAssertFalse(text?.contains("SENTINEL") ?? false, "a clear copy of the secret is stored")
        }
        let audit = try await harness.fixtures.column(
            "SELECT action || ' ' || details::text FROM audit_events WHERE target_id = $1",
            [connector.id.uuidString.lowercased()])
        XCTAssertEqual(audit.count, 1)
        XCTAssertTrue(audit[0]?.hasPrefix("connector.installed") ?? false)
        XCTAssertFalse(audit[0]?.contains("SENTINEL") ?? true)
    }

    func testInvalidInputIsOneValidationErrorPerField() async throws {
        var draft = ConnectorFixtures.postgres("")
        draft.config["port"] = 70000
        draft.auth = ["password": 42]
        draft.tags = ["ok", "not ok!"]
        do {
            _ = try await service.install(draft, owner, request: request)
            XCTFail("invalid input must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
            XCTAssertEqual(error.fields["name"], ["is required"])
            XCTAssertEqual(error.fields["config.port"], ["must be at most 65535"])
            XCTAssertEqual(error.fields["auth.password"], ["must be a string"])
            XCTAssertNotNil(error.fields["tags"])
        }
        let count = try await harness.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])
    }

    func testNamesAreUniquePerTenantIgnoringCase() async throws {
        _ = try await service.install(ConnectorFixtures.openAI("Primary"), owner, request: request)
        do {
            _ = try await service.install(ConnectorFixtures.postgres("PRIMARY"), owner, request: request)
            XCTFail("a duplicate name must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .conflict)
            XCTAssertNotNil(error.fields["name"])
        }
        let globex = try await harness.fixtures.tenant("globex")
        let globexOwner = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@globex.test", of: globex, role: .owner), in: globex)
        _ = try await service.install(ConnectorFixtures.openAI("primary"), globexOwner, request: request)
    }

    func testSecretsAreKeptClearedOrReplacedOnUpdate() async throws {
        let installed = try await service.install(
            ConnectorFixtures.postgres("Warehouse", password: "first-password"), owner, request: request)
        let original = try XCTUnwrap(installed.authField("password"))

        let kept = try await service.update(
            id: installed.id,
            ConnectorChanges(config: .merge(["port": 6432]), auth: ["password": .keep], expectedVersion: 1),
            owner, request: request)
        XCTAssertEqual(kept.config["port"], 6432)
        XCTAssertEqual(
            kept.authField("password"), original, "an unchanged secret keeps its fingerprint and date")
        XCTAssertEqual(kept.rowVersion, 2)

        let replaced = try await service.update(
            id: installed.id, ConnectorChanges(auth: ["password": .set("second-password")]), owner,
            request: request)
        XCTAssertNotEqual(replaced.authField("password")?.fingerprint, original.fingerprint)

        let cleared = try await service.update(
            id: installed.id, ConnectorChanges(auth: ["password": .clear]), owner, request: request)
        XCTAssertNil(cleared.authField("password"), "the password is optional, so it can be cleared")
        let sealed = try await harness.fixtures.column(
            "SELECT coalesce(auth_ciphertext::text, 'none') FROM connectors WHERE id = $1", [installed.id])
        XCTAssertEqual(sealed, ["none"])

        let openAI = try await service.install(ConnectorFixtures.openAI("AI"), owner, request: request)
        do {
            _ = try await service.update(
                id: openAI.id, ConnectorChanges(auth: ["api_key": .clear]), owner, request: request)
            XCTFail("a required secret cannot be cleared")
        } catch let error as AppError {
            XCTAssertEqual(error.fields["auth.api_key"], ["is required"])
        }
    }

    func testAStaleRowVersionIsAConflictNamingWhoChangedIt() async throws {
        let installed = try await service.install(ConnectorFixtures.openAI("AI"), owner, request: request)
        _ = try await service.update(
            id: installed.id, ConnectorChanges(name: "AI 2", expectedVersion: 1), owner, request: request)
        do {
            _ = try await service.update(
                id: installed.id, ConnectorChanges(name: "AI 3", expectedVersion: 1), owner, request: request)
            XCTFail("a stale version must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .conflict)
            XCTAssertTrue(error.message.contains("changed by Olive Owner at"), error.message)
            XCTAssertTrue(error.message.contains("Reload"), error.message)
        }
        let current = try await service.get(id: installed.id, owner)
        XCTAssertEqual(current.name, "AI 2")
    }

    func testStatusMovesBetweenInactiveActiveAndError() async throws {
        let installed = try await service.install(ConnectorFixtures.openAI("AI"), owner, request: request)
        let active = try await service.setStatus(id: installed.id, to: .active, owner, request: request)
        XCTAssertEqual(active.status, .active)
        do {
            _ = try await service.setStatus(id: installed.id, to: .error, owner, request: request)
            XCTFail("people do not set error")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .validation)
        }
        let failed = try await service.markError(
            id: installed.id, tenantID: acme.id, message: "401 from the provider", actor: .commandLine,
            request: request)
        XCTAssertEqual(failed.status, .error)
        XCTAssertEqual(failed.statusMessage, "401 from the provider")
        let back = try await service.setStatus(id: installed.id, to: .inactive, owner, request: request)
        XCTAssertEqual(back.status, .inactive)
        XCTAssertEqual(back.statusMessage, "")
        let history = try await service.history(id: installed.id, viewer)
        XCTAssertEqual(
            history.map(\.action),
            [
                "connector.status_changed", "connector.status_changed", "connector.status_changed",
                "connector.installed",
            ])
        XCTAssertEqual(history[1].details["to"]?.string, "error")
    }

    func testRolesAreCheckedAndOtherTenantsSeeNothing() async throws {
        let installed = try await service.install(ConnectorFixtures.openAI("AI"), owner, request: request)
        let listed = try await service.list(ConnectorFilter(), viewer)
        XCTAssertEqual(listed.connectors.map(\.name), ["AI"])
        do {
            _ = try await service.install(ConnectorFixtures.openAI("Mine"), viewer, request: request)
            XCTFail("viewers cannot install")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .forbidden)
        }
        let globex = try await harness.fixtures.tenant("globex")
        let stranger = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@globex.test", of: globex, role: .owner), in: globex)
        do {
            _ = try await service.delete(id: installed.id, stranger, request: request)
            XCTFail("another tenant's connector does not exist")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
        }
        let strangerSees = try await service.list(ConnectorFilter(), stranger)
        XCTAssertEqual(strangerSees.total, 0)
    }

    func testFiltersAndPaging() async throws {
        _ = try await service.install(ConnectorFixtures.openAI("Zeta AI"), owner, request: request)
        let db = try await service.install(ConnectorFixtures.postgres("Alpha DB"), owner, request: request)
        _ = try await service.install(ConnectorFixtures.postgres("Beta DB"), owner, request: request)
        _ = try await service.setStatus(id: db.id, to: .active, owner, request: request)
        func names(_ filter: ConnectorFilter) async throws -> [String] {
            try await service.list(filter, owner).connectors.map(\.name)
        }
        let cases: [(ConnectorFilter, [String])] = [
            (ConnectorFilter(), ["Alpha DB", "Beta DB", "Zeta AI"]),
            (ConnectorFilter(status: .active), ["Alpha DB"]),
            (ConnectorFilter(category: "ai"), ["Zeta AI"]),
            (ConnectorFilter(tag: "PROD"), ["Alpha DB", "Beta DB"]),
            (ConnectorFilter(query: "postgres beta"), ["Beta DB"]),
        ]
        for (filter, expected) in cases {
            let found = try await names(filter)
            XCTAssertEqual(found, expected, "\(filter)")
        }
        let page = try await service.list(ConnectorFilter(limit: 2, offset: 2), owner)
        XCTAssertEqual(page.connectors.map(\.name), ["Zeta AI"])
        XCTAssertEqual(page.total, 3)
    }

    func testSwitchingAuthMethodDropsTheOldMethodsFields() async throws {
        let draft = ConnectorDraft(
            catalogKey: "github", name: "GitHub",
            auth: [
                "method": "personal_access_token", "access_token": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            ])
        let installed = try await service.install(draft, owner, request: request)
        XCTAssertEqual(installed.authField("method")?.value, "personal_access_token")
        XCTAssertEqual(installed.config["api_base_url"], "https://api.github.com", "defaults are filled in")
        let type = try await service.type(of: installed, owner)
        let oauthFields = type.auth.visibleKeys(for: ["method": "oauth"])
        XCTAssertTrue(oauthFields.contains("client_secret"))
        do {
            _ = try await service.update(
                id: installed.id, ConnectorChanges(auth: ["method": .set("oauth")]), owner, request: request)
            XCTFail("the OAuth method needs its own fields")
        } catch let error as AppError {
            XCTAssertNotNil(error.fields["auth.client_id"], "\(error.fields)")
        }
    }

    func testPublishTargetsAreActiveConnectorsThatPublish() async throws {
        let mastodon = try await service.install(
            ConnectorDraft(
                catalogKey: "mastodon", name: "Toots", config: ["instance_url": "https://mastodon.social"],
                auth: ["access_token": .string(String(repeating: "t", count: 30))]),
            owner, request: request)
        _ = try await service.install(ConnectorFixtures.openAI("AI"), owner, request: request)
        let none = try await service.publishTargets(viewer)
        XCTAssertEqual(none.count, 0, "inactive connectors do not publish")
        _ = try await service.setStatus(id: mastodon.id, to: .active, owner, request: request)
        let targets = try await service.publishTargets(viewer)
        XCTAssertEqual(targets.map(\.name), ["Toots"])
        XCTAssertEqual(targets.first?.catalogKey, "mastodon")
        XCTAssertTrue(targets.first?.capabilities.contains("publish") ?? false)
    }

    func testValidateConfigSavesNothing() async throws {
        let developer = try await harness.fixtures.identity(
            try await harness.fixtures.member("dev@acme.test", of: acme, role: .developer), in: acme)
        let problems = try await service.validateConfig(
            catalogKey: "openai", config: ["default_model": ""], auth: ["api_key": "nope"], developer)
        XCTAssertEqual(problems["config.default_model"], ["must not be empty"])
        XCTAssertNotNil(problems["auth.api_key"])
        let valid = try await service.validateConfig(
            catalogKey: "openai", config: ["default_model": "gpt-4o"],
            auth: ["api_key": .string(ConnectorFixtures.sentinel())],
            developer)
        XCTAssertEqual(valid, [:])
        let count = try await harness.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(count, ["0"])
    }
}
