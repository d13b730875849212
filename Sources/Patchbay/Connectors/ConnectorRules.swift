import Foundation
import JSON

/// The input rules of installed connectors. Problems are collected into one per-field map
/// (`name`, `tags`, `config.port`, `auth.api_key`) so a form shows them all at once.
enum ConnectorRules {
    static let maximumNameLength = 120
    static let maximumTags = 12
    static let maximumTagLength = 32

    /// The name trimmed; "is required" or "too long" are added to `errors`.
    static func name(_ text: String, _ errors: inout [String: [String]]) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors["name", default: []].append("is required")
        } else if name.count > maximumNameLength {
            errors["name", default: []].append("must be at most \(maximumNameLength) characters")
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors["name", default: []].append("must not contain control characters")
        }
        return name
    }

    /// Tags trimmed, lower-cased and without repeats.
    static func tags(_ tags: [String], _ errors: inout [String: [String]]) -> [String] {
        var cleaned: [String] = []
        for tag in tags {
            let tag = tag.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard !tag.isEmpty, !cleaned.contains(tag) else { continue }
            let allowed = tag.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_.:".unicodeScalars.contains(scalar)
            }
            if !allowed || tag.count > maximumTagLength {
                let message =
                    "each tag must be 1 to \(maximumTagLength) letters, digits, dashes, dots, colons or underscores"
                if errors["tags"]?.contains(message) != true { errors["tags", default: []].append(message) }
                continue
            }
            cleaned.append(tag)
        }
        if cleaned.count > maximumTags {
            errors["tags", default: []].append("must have at most \(maximumTags) tags")
        }
        return cleaned
    }

    /// Checks `config` and `auth` against the version's schemas.
    static func validate(
        config: JSONObject, auth: JSONObject, type: ConnectorType, _ errors: inout [String: [String]]
    ) {
        merge(
            type.manifest.configSchema.validate(.object(config)).fieldErrors, under: "config", into: &errors)
        merge(type.manifest.authSchema.validate(.object(auth)).fieldErrors, under: "auth", into: &errors)
    }

    /// The settings and credentials of a new install: defaults filled in, empty credentials left out.
    static func newInstall(config: JSONObject, auth: JSONObject, type: ConnectorType) -> (
        JSONObject, JSONObject
    ) {
        let settings = withDefaults(config, schema: type.manifest.configSchemaJSON)
        let base = withDefaults([:], schema: type.manifest.authSchemaJSON)
        let credentials = AuthFields.merge(base, AuthFields.changes(setting: auth), shape: type.auth)
        return (settings, credentials)
    }

    /// `object` with the schema's defaults filled in where a member is missing: the root's `default`
    /// object (an auth method) and each top-level property's `default` (a port, a base URL).
    static func withDefaults(_ object: JSONObject, schema: JSON) -> JSONObject {
        var result = object
        for (key, value) in schema["default"]?.object ?? [:] where result[key] == nil { result[key] = value }
        for (key, property) in schema["properties"]?.object ?? [:] where result[key] == nil {
            if let value = property["default"] { result[key] = value }
        }
        return result
    }

    /// `{"port": [...]}` filed as `{"config.port": [...]}` (the root as `config`).
    static func merge(
        _ fieldErrors: [String: [String]], under prefix: String, into errors: inout [String: [String]]
    ) {
        for (path, messages) in fieldErrors {
            let key = path.isEmpty ? prefix : path.hasPrefix("[") ? prefix + path : prefix + "." + path
            for message in messages where errors[key]?.contains(message) != true {
                errors[key, default: []].append(message)
            }
        }
    }
}
