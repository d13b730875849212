import JSON
import JSONSchema
import Secrets

/// One connector type as its manifest describes it (see docs/manifests.md), with both schemas
/// compiled. Built only through `ManifestValidator`, so every instance has passed the manifest schema.
public final class ConnectorManifest: Sendable {
    public let key: String
    public let name: String
    public let version: SemanticVersion
    public let description: String
    public let category: String
    public let kind: String
    public let provider: String
    public let icon: String
    public let authType: String
    public let status: String
    public let docsURL: String
    public let capabilities: [String]
    public let tags: [String]
    /// The whole manifest as written.
    public let json: JSON
    public let configSchema: Schema
    public let authSchema: Schema
    /// SHA-256 over the manifest's canonical form (sorted keys, no spaces): formatting changes are
    /// not content changes.
    public let checksum: String

    init(json: JSON, configSchema: Schema, authSchema: Schema) throws(ManifestProblem) {
        func string(_ key: String) -> String { json[key]?.string ?? "" }
        guard let version = SemanticVersion(string("version")) else {
            throw ManifestProblem(pointer: "/version", message: "is not a semantic version")
        }
        self.key = string("key")
        self.name = string("name")
        self.version = version
        self.description = string("description")
        self.category = string("category")
        self.kind = string("kind")
        self.provider = string("provider")
        self.icon = string("icon")
        self.authType = string("auth_type")
        self.status = string("status")
        self.docsURL = string("docs_url")
        self.capabilities = json["capabilities"]?.array?.compactMap(\.string) ?? []
        self.tags = json["tags"]?.array?.compactMap(\.string) ?? []
        self.json = json
        self.configSchema = configSchema
        self.authSchema = authSchema
        self.checksum = (try? SHA256.hexDigest(json.serialized(options: .sortedKeys))) ?? ""
    }

    public var configSchemaJSON: JSON { json["config_schema"] ?? [:] }
    public var authSchemaJSON: JSON { json["auth_schema"] ?? [:] }

    public func has(capability: String) -> Bool { capabilities.contains(capability) }
}

/// What is wrong with a manifest, located by JSON pointer.
public struct ManifestProblem: Error, Sendable, CustomStringConvertible {
    public let pointer: String
    public let message: String

    public var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(message)" }
}
