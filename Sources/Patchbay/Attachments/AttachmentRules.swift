import Foundation
import JSON

/// The input rules of attachments, collected into one per-field map (`agent_id`, `alias`,
/// `config_override.database`) so a form shows every problem at once.
public enum AttachmentRules {
    static let maximumAgentIDLength = 128
    static let maximumAliasLength = 64
    static let agentIDRule = "must be 1 to 128 letters, digits, dots, underscores, colons or dashes"

    /// The agent id as given (it is opaque: no trimming inside, no case folding).
    static func agentID(_ text: String, _ errors: inout [String: [String]], field: String = "agent_id")
        -> String
    {
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if id.isEmpty {
            errors[field, default: []].append("is required")
        } else if !isAgentID(id) {
            errors[field, default: []].append(agentIDRule)
        }
        return id
    }

    /// An optional agent id (API tokens): nil when absent or blank, else checked like `agentID`.
    static func optionalAgentID(_ text: String?) throws -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        var errors: [String: [String]] = [:]
        let id = agentID(text, &errors)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        return id
    }

    /// Whether `text` has the shape of an agent id: 1–128 of `[A-Za-z0-9._:-]`.
    public static func isAgentID(_ text: String) -> Bool {
        (1...maximumAgentIDLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { isAlphanumeric($0) || ".-_:".utf8.contains($0) }
    }

    /// The alias trimmed: a letter or digit, then letters, digits, dots, underscores or dashes.
    static func alias(_ text: String, _ errors: inout [String: [String]]) -> String {
        let alias = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = Array(alias.utf8)
        if bytes.isEmpty {
            errors["alias", default: []].append("is required")
        } else if bytes.count > maximumAliasLength || !isAlphanumeric(bytes[0])
            || !bytes.allSatisfy({ isAlphanumeric($0) || ".-_".utf8.contains($0) })
        {
            errors["alias", default: []].append(
                "must be 1 to \(maximumAliasLength) letters, digits, dots, underscores or dashes, "
                    + "starting with a letter or digit")
        }
        return alias
    }

    /// Checks an override against the connector's pinned version: every key must be a setting of its
    /// `config_schema` that may change per agent, and the connector's settings with the override laid
    /// over them must still be valid. Problems are filed under `config_override.<key>`.
    static func override(
        _ override: JSONObject, base: JSONObject, type: ConnectorType, _ errors: inout [String: [String]]
    ) {
        let properties = type.manifest.configSchemaJSON["properties"]?.object ?? [:]
        let credentials = credentialKeys(type)
        var refused = false
        for (key, _) in override {
            let field = "config_override." + key
            if credentials.contains(key) || properties[key].map(isSecret) == true {
                errors[field, default: []].append(
                    "is a credential: credentials stay with the connector and cannot be overridden")
            } else if let property = properties[key] {
                guard isDestination(key, property) else { continue }
                errors[field, default: []].append(
                    "decides where or how the connector's credentials travel and cannot be overridden; "
                        + "change the connector instead")
            } else {
                errors[field, default: []].append("is not a setting of \(type.manifest.name) connectors")
            }
            refused = true
        }
        guard !refused else { return }
        var merged = base
        for (key, value) in override { merged[key] = value }
        let problems = type.manifest.configSchema.validate(.object(merged)).fieldErrors
        for (path, messages) in problems {
            let key = path.split(whereSeparator: { $0 == "." || $0 == "[" }).first.map(String.init) ?? ""
            let field = key.isEmpty || override[key] == nil ? "config_override" : "config_override." + path
            for message in messages where errors[field]?.contains(message) != true {
                errors[field, default: []].append(message)
            }
        }
    }

    /// `override` without the members that name credentials: what a refused form may show again (a
    /// password typed into the wrong box must not come back in the page).
    public static func withoutCredentials(_ override: JSONObject, type: ConnectorType) -> JSONObject {
        let credentials = credentialKeys(type)
        let properties = type.manifest.configSchemaJSON["properties"]?.object ?? [:]
        return JSONObject(
            override.filter { key, _ in
                !credentials.contains(key) && properties[key].map(isSecret) != true
            }.map { ($0.key, $0.value) })
    }

    private static func credentialKeys(_ type: ConnectorType) -> Set<String> {
        Set(type.auth.orderedKeys).union(type.auth.discriminator.map { [$0] } ?? [])
    }

    private static func isSecret(_ property: JSON) -> Bool {
        property["writeOnly"]?.bool == true || property["x-secret"]?.bool == true
    }

    /// Settings that choose the server the connector talks to, or how the connection is protected:
    /// overriding one would send the connector's credentials somewhere its administrators did not
    /// choose, so an agent's settings never change them.
    static func isDestination(_ key: String, _ property: JSON) -> Bool {
        let addressFormats: Set<String> = [
            "uri", "uri-reference", "iri", "hostname", "idn-hostname", "ipv4", "ipv6",
        ]
        if let format = property["format"]?.string, addressFormats.contains(format) { return true }
        let name = key.lowercased()
        let names: Set<String> = [
            "host", "hostname", "hostaddr", "port", "endpoint", "servers", "brokers", "bootstrap_servers",
            "contact_points", "account", "account_name", "endpoint_suffix", "srv",
        ]
        return names.contains(name) || name.hasSuffix("url") || name.hasSuffix("_host")
            || name.hasSuffix("_endpoint") || name.contains("ssl") || name.contains("tls")
            || name.contains("certificate")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
