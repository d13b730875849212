import Foundation
import JSON
import JSONSchema

/// Checks manifests against the manifest schema (docs/manifest.schema.json) and compiles the schemas
/// they carry, so a broken manifest is refused when it is loaded, never when a tenant opens its form.
public struct ManifestValidator: Sendable {
    private let manifestSchema: Schema

    public init(manifestSchemaPath: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: manifestSchemaPath, encoding: .utf8)
        } catch {
            throw AppError(.internal, "The manifest schema \(manifestSchemaPath) cannot be read.")
        }
        do {
            manifestSchema = try Schema(parsing: text)
        } catch {
            throw AppError(.internal, "The manifest schema \(manifestSchemaPath) is invalid: \(error)")
        }
    }

    /// Parses and checks one manifest given as bytes.
    public func manifest(from bytes: [UInt8]) throws(ManifestProblem) -> ConnectorManifest {
        let json: JSON
        do {
            json = try JSON(parsing: bytes)
        } catch {
            throw ManifestProblem(pointer: "", message: "is not valid JSON: \(error)")
        }
        return try manifest(from: json)
    }

    /// Checks one manifest given as a JSON value.
    public func manifest(from json: JSON) throws(ManifestProblem) -> ConnectorManifest {
        let result = manifestSchema.validate(json)
        if let first = result.errors.first {
            throw ManifestProblem(pointer: first.instanceLocation, message: first.message)
        }
        let config = try compile(json["config_schema"], at: "/config_schema")
        let auth = try compile(json["auth_schema"], at: "/auth_schema")
        for (listName, list) in [("actions", json["actions"]), ("triggers", json["triggers"])] {
            for (index, item) in (list?.array ?? []).enumerated() {
                for schemaName in ["input_schema", "output_schema"] {
                    if let schema = item[schemaName] {
                        _ = try compile(schema, at: "/\(listName)/\(index)/\(schemaName)")
                    }
                }
            }
        }
        return try ConnectorManifest(json: json, configSchema: config, authSchema: auth)
    }

    private func compile(_ json: JSON?, at pointer: String) throws(ManifestProblem) -> Schema {
        guard let json else { throw ManifestProblem(pointer: pointer, message: "is required") }
        do {
            return try Schema(json)
        } catch {
            let location =
                error.schemaLocation.hasPrefix("#")
                ? String(error.schemaLocation.dropFirst()) : error.schemaLocation
            throw ManifestProblem(pointer: pointer + location, message: error.message)
        }
    }
}
