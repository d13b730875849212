import Foundation
import JSONSchema
import Patchbay
import TestSupport
import XCTest

/// Every manifest shipped in Seeds/connectors loads, compiles both schemas and yields a form.
final class ManifestCatalogTests: XCTestCase {
    func testEveryShippedManifestLoadsAndRendersItsForm() throws {
        let paths = ProjectPaths(root: ProjectRoot.path)
        let loader = ManifestLoader(
            validator: try ManifestValidator(manifestSchemaPath: paths.manifestSchema))
        let manifests = try loader.load(directory: paths.seeds)
        XCTAssertGreaterThanOrEqual(manifests.count, 100)
        for manifest in manifests {
            let config = manifest.configSchema.formFields(namePrefix: "config")
            let auth = manifest.authSchema.formFields(namePrefix: "auth")
            XCTAssertFalse(config.isEmpty && auth.isEmpty, "\(manifest.key) has no fields at all")
            if manifest.authType == "none" {
                XCTAssertTrue(auth.isEmpty, "\(manifest.key) says auth none but asks for credentials")
            } else {
                XCTAssertFalse(auth.isEmpty, "\(manifest.key) has no auth fields")
            }
            for field in auth where field.kind != .secret {
                if case .choice = field.kind { continue }
                if case .fieldset = field.kind { continue }
                XCTAssertFalse(
                    ["password", "secret", "token", "api_key", "private_key"].contains {
                        field.key.contains($0)
                    },
                    "\(manifest.key): \(field.path) looks secret but is not a secret input")
            }
        }
        let keys = Set(manifests.map(\.key))
        let required = [
            "twitter", "wordpress", "linkedin", "medium", "gmail", "slack", "stripe", "github", "zoom",
            "notion", "hubspot",
            "salesforce", "shopify", "twilio", "sendgrid", "mailchimp", "activecampaign", "jira", "discord",
            "postgresql",
            "mysql", "mongodb", "redis", "sqlite", "rest", "graphql", "soap", "s3", "gcs", "azure_blob",
            "minio", "kafka",
            "rabbitmq", "sqs", "redis_pubsub", "custom-http",
        ]
        XCTAssertEqual(Set(required).subtracting(keys), [], "required connectors missing")
        for key in ["twitter", "wordpress", "linkedin", "medium"] {
            XCTAssertTrue(
                manifests.first { $0.key == key }!.has(capability: "publish"), "\(key) should publish")
        }
    }

    func testABrokenManifestIsReportedWithItsFileAndPointer() throws {
        let folder = try TemporarySeeds.copy(keys: ["slack", "stripe"])
        defer { folder.remove() }
        try folder.edit("stripe") { json in
            json.replacingOccurrences(of: "\"kind\": \"api\"", with: "\"kind\": \"spaceship\"")
        }
        let paths = ProjectPaths(root: ProjectRoot.path)
        let loader = ManifestLoader(
            validator: try ManifestValidator(manifestSchemaPath: paths.manifestSchema))
        XCTAssertThrowsError(try loader.load(directory: folder.path)) { error in
            let load = error as? ManifestLoadError
            XCTAssertEqual(load?.problems.count, 1)
            XCTAssertEqual(load?.problems.first?.file, "stripe.json")
            XCTAssertEqual(load?.problems.first?.problem.pointer, "/kind")
        }
    }

    func testAnInvalidConfigSchemaIsRefusedWithItsPointer() throws {
        let folder = try TemporarySeeds.copy(keys: ["postgresql"])
        defer { folder.remove() }
        try folder.edit("postgresql") { json in
            json.replacingOccurrences(of: "\"minimum\": 1", with: "\"minimum\": \"one\"")
        }
        let paths = ProjectPaths(root: ProjectRoot.path)
        let loader = ManifestLoader(
            validator: try ManifestValidator(manifestSchemaPath: paths.manifestSchema))
        XCTAssertThrowsError(try loader.load(directory: folder.path)) { error in
            let problem = (error as? ManifestLoadError)?.problems.first?.problem
            XCTAssertTrue(
                problem?.pointer.hasPrefix("/config_schema/properties/") ?? false,
                "\(String(describing: problem))")
        }
    }
}
