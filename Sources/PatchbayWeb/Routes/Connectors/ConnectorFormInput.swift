import Foundation
import HTTPServer
import JSON
import JSONSchema
import Patchbay

/// A posted connector form, read against the catalog version's schemas.
struct ConnectorFormInput {
    let form: HTTPQuery
    let type: ConnectorType
    let config: FormSubmission
    let auth: FormSubmission

    init(_ form: HTTPQuery, type: ConnectorType) {
        self.form = form
        self.type = type
        let pairs = form.pairs
        config = type.manifest.configSchema.decodeForm(pairs, namePrefix: "config")
        auth = type.manifest.authSchema.decodeForm(pairs, namePrefix: "auth")
    }

    var name: String { form["name"] ?? "" }
    var tagsText: String { form["tags"] ?? "" }
    var tags: [String] { tagsText.split(separator: ",").map(String.init) }

    /// "Use this method" without JavaScript: show the form again for the chosen method, save nothing.
    var isRefresh: Bool { form["_refresh"] != nil }

    /// The last value of each input, to show back after a 422 (secrets are never read from here).
    var submitted: [String: String] {
        var values: [String: String] = [:]
        for (name, value) in form.pairs where !name.hasPrefix("auth") || !isSecretInput(name) {
            values[name] = value
        }
        return values
    }

    /// Inputs that could not be read (a letter in a number field): their fields are missing from the
    /// decoded values, so the service cannot see these problems itself.
    var inputErrors: [String: [String]] {
        var errors: [String: [String]] = [:]
        for (section, submission) in [("config", config), ("auth", auth)] {
            for (path, messages) in submission.inputErrors {
                errors[path.isEmpty ? section : section + "." + path, default: []] += messages
            }
        }
        return errors
    }

    var configValue: JSONObject { config.value.object ?? [:] }

    /// The credentials typed in, without secrets: what the form may show again.
    var visibleAuth: JSONObject {
        JSONObject(
            (auth.value.object ?? [:]).filter { !type.auth.isSecret($0.key) }.map { ($0.key, $0.value) })
    }

    func draft(catalogKey: String) -> ConnectorDraft {
        ConnectorDraft(
            catalogKey: catalogKey, name: name, config: configValue, auth: auth.value.object ?? [:],
            tags: tags)
    }

    /// An edit: settings replaced, blank secrets kept (unless "Remove the saved value" is ticked),
    /// other credentials as typed.
    func changes(expectedVersion: Int?, upgrade: Bool) -> ConnectorChanges {
        let typed = auth.value.object ?? [:]
        var credentials: [String: AuthFieldChange] = [:]
        for key in type.auth.visibleKeys(for: typed) {
            if let value = typed[key] {
                credentials[key] = .set(value)
            } else if type.auth.isSecret(key) {
                credentials[key] = form["auth_clear.\(key)"] == "true" ? .clear : .keep
            } else {
                credentials[key] = .clear
            }
        }
        return ConnectorChanges(
            name: name, config: .replace(configValue), auth: credentials, tags: tags,
            expectedVersion: expectedVersion, upgrade: upgrade)
    }

    private func isSecretInput(_ name: String) -> Bool {
        guard name.hasPrefix("auth.") else { return false }
        let key = name.dropFirst(5).prefix { $0 != "." && $0 != "[" }
        return type.auth.isSecret(String(key))
    }
}
