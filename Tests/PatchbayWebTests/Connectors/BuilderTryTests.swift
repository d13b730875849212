import Foundation
import JSON
import Patchbay
import TestSupport
import XCTest

/// "Try it": the builder's unsaved request runs once against a real server on 127.0.0.1, under the
/// outbound policy, with the values as typed (and the stored secret for one left unchanged), and
/// the answer shows the response as a tree of mappable paths without any credential in it.
final class BuilderTryTests: BuilderTestCase {
    private let tryNew = "/features/connectors/builder/try"

    func testTryItSendsTheRequestAsFilledInAndShowsTheResponseAsPaths() async throws {
        let response = try await browser.post(tryNew, form: builderForm(), headers: [("HX-Request", "true")])
        XCTAssertEqual(response.status, 200, response.text)

        let sent = try XCTUnwrap(upstream.received.last)
        XCTAssertEqual(upstream.received.count, 1)
        XCTAssertEqual(sent.path, "/people/42", "{{input.id}} from the sample")
        XCTAssertEqual(sent.headers["x-trace"], "ada@example.com", "{{contact.email}} from the sample")
        XCTAssertEqual(sent.query["ws"], "acme", "{{workspace.slug}} is the tenant's")
        XCTAssertEqual(sent.headers["authorization"], "Bearer tok-builder-secret-1", "the typed token")

        let text = response.text
        XCTAssertTrue(text.contains("data-builder-status>HTTP 200<"), text)
        XCTAssertTrue(text.contains("data-builder-duration>"))
        // Paths in the syntax field mappings accept, quoted where a key needs it (HTML-escaped here).
        XCTAssertTrue(text.contains(#"data-builder-path="$.identities[0].firstName""#), text)
        XCTAssertTrue(text.contains(#"data-builder-path="$.identities[0][&quot;first name&quot;]""#), text)
        XCTAssertTrue(text.contains(#"data-builder-suggest="first_name""#))
        XCTAssertTrue(text.contains(#"data-builder-path="$.id""#) && text.contains("&quot;42&quot;"))
        // The mapping already configured applied.
        XCTAssertTrue(text.contains("&quot;first_name&quot;: &quot;Ada&quot;"), text)
        // The server echoed the token: the result never shows it, nor does the request line.
        XCTAssertFalse(text.contains("tok-builder-secret-1"))
        XCTAssertTrue(text.contains("GET \(upstream.url("/people/42"))?ws=acme"), text)

        let saved = try await app.fixtures.column("SELECT count(*)::text FROM connectors")
        XCTAssertEqual(saved, ["0"], "trying saves nothing")
    }

    func testEveryPathTheTreeOffersIsOneAMappingFinds() async throws {
        let response = try await browser.post(tryNew, form: builderForm(), headers: [("HX-Request", "true")])
        let paths = response.text.matches(of: /data-builder-path="([^"]*)"/).map {
            String($0.1).replacingOccurrences(of: "&quot;", with: "\"")
        }
        XCTAssertEqual(paths.count, 4, "id, both identity keys and the echo")
        let body: JSON = [
            "id": "42", "identities": [["firstName": "Ada", "first name": "Ada L."]], "echo": "",
        ]
        for path in paths {
            let mapping = try FieldMapping(source: path, target: "x")
            XCTAssertTrue(FieldMapping.apply([mapping], to: body).problems.isEmpty, path)
        }
    }

    func testATrySendsOneAttemptWhateverTheRetries() async throws {
        let form = builderForm([("config.url", upstream.url("/flaky")), ("config.retries", "5")])
        let response = try await browser.post(tryNew, form: form, headers: [("HX-Request", "true")])
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.text.contains("HTTP 503"))
        XCTAssertTrue(response.text.contains("try later"), "the body is shown as text")
        XCTAssertEqual(upstream.received.filter { $0.path == "/flaky" }.count, 1)
    }

    func testTheOutboundPolicyStillApplies() async throws {
        let form = builderForm([("config.url", "http://169.254.169.254/latest/meta-data")])
        let response = try await browser.post(tryNew, form: form, headers: [("HX-Request", "true")])
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.text.contains("Failed: blocked"), response.text)
    }

    func testValuesThatCannotRunAre422AndNothingIsSent() async throws {
        let badURL = try await browser.post(
            tryNew, form: builderForm([("config.url", "ftp://example.com"), ("config.timeout_ms", "10")]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(badURL.status, 422)
        XCTAssertTrue(badURL.text.contains("Not sent"))
        XCTAssertTrue(badURL.text.contains("Request · url:"), badURL.text)
        XCTAssertTrue(badURL.text.contains("Advanced · timeout_ms:"), badURL.text)

        let badSample = try await browser.post(
            tryNew, form: builderForm([("_sample", "[1, 2]")]), headers: [("HX-Request", "true")])
        XCTAssertEqual(badSample.status, 422)
        XCTAssertTrue(badSample.text.contains("sample values: must be a JSON object"), badSample.text)

        let badSteps = try await browser.post(
            tryNew, form: builderForm([("builder_mode", "steps"), ("_steps_json", "{not json")]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(badSteps.status, 422)
        XCTAssertTrue(badSteps.text.contains("must be a JSON list of steps"))
        XCTAssertTrue(upstream.received.isEmpty)
    }

    func testStepsRunInOrderFromTheJSON() async throws {
        let steps = """
            [{"name": "first", "url": "\(upstream.url("/people/{{input.id}}"))",
              "field_mappings": [{"source_path": "$.identities[0].firstName", "target_field": "who"}]},
             {"name": "second", "url": "\(upstream.url("/people/{{steps.first.mapped.who}}"))"}]
            """
        let form = builderForm([("builder_mode", "steps"), ("_steps_json", steps)])
        let response = try await browser.post(tryNew, form: form, headers: [("HX-Request", "true")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(upstream.received.map(\.path), ["/people/42", "/people/Ada"])
        XCTAssertTrue(response.text.contains("<span class=\"code\">first</span> HTTP 200"), response.text)
    }

    func testEditingUsesTheStoredSecretForAFieldLeftBlank() async throws {
        let id = try await installThroughBuilder()
        let edit = "/features/connectors/\(id)/builder/try"
        let storedBefore = try await app.fixtures.column(
            "SELECT auth_fields::text || auth_ciphertext::text FROM connectors WHERE id = $1::uuid", [id])
        let developer = try await signIn("dev@acme.test")
        _ = try await developer.get("/features/connectors/installed")
        let response = try await developer.post(
            edit, form: builderForm([("auth.token", "")]), headers: [("HX-Request", "true")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(upstream.received.last?.headers["authorization"], "Bearer tok-builder-secret-1")
        XCTAssertFalse(response.text.contains("tok-builder-secret-1"))

        let replaced = try await developer.post(
            edit, form: builderForm([("auth.token", "tok-typed-now")]), headers: [("HX-Request", "true")])
        XCTAssertEqual(replaced.status, 200)
        XCTAssertEqual(upstream.received.last?.headers["authorization"], "Bearer tok-typed-now")
        let storedAfter = try await app.fixtures.column(
            "SELECT auth_fields::text || auth_ciphertext::text FROM connectors WHERE id = $1::uuid", [id])
        XCTAssertEqual(storedBefore, storedAfter, "trying changes nothing stored")

        let viewer = try await signIn("viewer@acme.test")
        _ = try await viewer.get("/features/connectors/installed")
        let refused = try await viewer.post(edit, form: builderForm(), headers: [("HX-Request", "true")])
        XCTAssertEqual(refused.status, 403)
        let unknown = try await browser.post(
            "/features/connectors/\(UUID().uuidString.lowercased())/builder/try", form: builderForm())
        XCTAssertEqual(unknown.status, 404)
    }

    func testADeveloperCannotAimTheStoredSecretAtAnotherURL() async throws {
        let id = try await installThroughBuilder()
        let edit = "/features/connectors/\(id)/builder/try"
        let developer = try await signIn("dev@acme.test")
        _ = try await developer.get("/features/connectors/installed")
        let sentBefore = upstream.received.count
        let redirected = try await developer.post(
            edit,
            form: builderForm([("auth.token", ""), ("config.url", upstream.url("/elsewhere/{{input.id}}"))]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(redirected.status, 403, redirected.text)
        XCTAssertEqual(upstream.received.count, sentBefore, "nothing may be sent with the stored secret")

        let typed = try await developer.post(
            edit,
            form: builderForm([
                ("auth.token", "tok-typed-now"), ("config.url", upstream.url("/elsewhere/{{input.id}}")),
            ]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(typed.status, 200, "typed-in credentials may go anywhere the policy allows")
        let owner = try await browser.post(
            edit,
            form: builderForm([("auth.token", ""), ("config.url", upstream.url("/elsewhere/{{input.id}}"))]),
            headers: [("HX-Request", "true")])
        XCTAssertEqual(owner.status, 200, "an owner may, as they could save the change anyway")
    }
}
