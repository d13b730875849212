import Foundation
import JSON
import JSONSchema
import Patchbay
import Templating

/// `connector` of `pages/connector-detail`: settings, credentials shown as set/unset with their
/// fingerprint (never a secret value), and the connector's history from the audit log.
enum ConnectorDetailViewModel {
    static func model(
        _ connector: Connector, type: ConnectorType, history: [AuditEvent],
        permissions: InstalledViewModels.Permissions
    ) -> TemplateValue {
        guard case .object(var model) = InstalledViewModels.card(connector, permissions) else { return .null }
        model["catalog_url"] = .string("/features/connectors/catalog/\(connector.catalog.key)")
        let settings = settingRows(
            type.manifest.configSchema.formFields(namePrefix: "config"), values: connector.config)
        model["settings"] = .list(settings)
        model["has_settings"] = .bool(!settings.isEmpty)
        let credentials = credentialRows(connector, type: type)
        model["credentials"] = .list(credentials)
        model["has_credentials"] = .bool(!credentials.isEmpty)
        model["has_tags"] = .bool(!connector.tags.isEmpty)
        model["created"] = .string(ViewFormatting.display(connector.createdAt))
        model["created_iso"] = .string(ViewFormatting.iso(connector.createdAt))
        model["created_by"] = .string(connector.createdBy)
        model["updated"] = .string(ViewFormatting.display(connector.updatedAt))
        model["updated_iso"] = .string(ViewFormatting.iso(connector.updatedAt))
        model["updated_by"] = .string(connector.updatedBy)
        model["row_version"] = .int(connector.rowVersion)
        model["history"] = .list(history.map(event))
        model["has_history"] = .bool(!history.isEmpty)
        model["health"] = InstalledViewModels.healthCheckSetting(connector)
        return .object(model)
    }

    /// Top-level settings in schema order; nested objects and lists are shown as JSON.
    static func settingRows(_ fields: [FormField], values: JSONObject) -> [TemplateValue] {
        var known = Set<String>()
        var rows = fields.filter { !$0.key.isEmpty }.map { field -> TemplateValue in
            known.insert(field.key)
            // A choice shows its label ("Require: TLS, no certificate check"), not its stored value.
            if case .select(let options) = field.kind, let value = values[field.key],
                let option = options.first(where: { $0.value == value })
            {
                return row(label: field.label, key: field.key, value: .string(option.label))
            }
            return row(label: field.label, key: field.key, value: values[field.key])
        }
        for (key, value) in values where !known.contains(key) {
            rows.append(row(label: key, key: key, value: value))
        }
        return rows
    }

    private static func row(label: String, key: String, value: JSON?) -> TemplateValue {
        let text: String
        switch value {
        case nil, .null?: text = ""
        case .string(let string)?: text = string
        case .bool(let flag)?: text = flag ? "Yes" : "No"
        case let other?: text = other.description
        }
        return [
            "label": .string(label), "name": .string(key), "value": .string(text),
            "is_empty": .bool(text.isEmpty),
        ]
    }

    /// The credentials of the connector's method: set (with fingerprint, or value when not secret) or not.
    static func credentialRows(_ connector: Connector, type: ConnectorType) -> [TemplateValue] {
        let values = JSONObject(
            connector.authFields.compactMap { state in state.value.map { (state.name, $0) } })
        let labels = labelsByKey(type.manifest.authSchema.formFields(namePrefix: "auth"))
        var keys = type.auth.visibleKeys(for: values)
        for field in connector.authFields where !keys.contains(field.name) { keys.append(field.name) }
        return keys.map { key in
            let state = connector.authField(key)
            return [
                "label": .string(labels[key] ?? key), "name": .string(key), "is_set": .bool(state != nil),
                "is_secret": .bool(state?.isSecret ?? type.auth.isSecret(key)),
                "value": .string(state?.value.map { $0.string ?? $0.description } ?? ""),
                "fingerprint": .string(state?.fingerprint ?? ""),
                "updated": .string(state.map { ViewFormatting.display($0.updatedAt) } ?? ""),
                "updated_by": .string(state?.updatedBy ?? ""),
            ]
        }
    }

    private static func labelsByKey(_ fields: [FormField]) -> [String: String] {
        var labels: [String: String] = [:]
        for field in fields {
            if case .choice(let choice) = field.kind {
                if let discriminator = choice.discriminator { labels[discriminator] = field.label }
                for option in choice.options {
                    labels.merge(labelsByKey(option.fields)) { first, _ in first }
                }
            } else if !field.key.isEmpty, labels[field.key] == nil {
                labels[field.key] = field.label
            }
        }
        return labels
    }

    /// One line of history: "Activated", "Set to error", "Changed the settings: port".
    static func event(_ event: AuditEvent) -> TemplateValue {
        let details = event.details
        var kind = "change"
        var title: String
        var detail = ""
        switch event.action {
        case "connector.installed":
            title = "Installed"
            detail = details["version"]?.string.map { "Version \($0)" } ?? ""
        case "connector.status_changed":
            let target = details["to"]?.string ?? ""
            kind = target
            title = target == "active" ? "Activated" : target == "inactive" ? "Deactivated" : "Set to error"
            detail = details["message"]?.string ?? ""
        case "connector.upgraded":
            title =
                "Upgraded from \(details["from_version"]?.string ?? "?") to \(details["to_version"]?.string ?? "?")"
            detail = changes(details)
        case "connector.updated":
            title = "Changed"
            detail = changes(details)
        case "connector.tested":
            let passed = details["success"]?.bool == true
            kind = passed ? "active" : "error"
            title = passed ? "Test passed" : "Test failed"
            detail = details["message"]?.string ?? details["latency_ms"]?.int.map { "\($0) ms" } ?? ""
        case "connector.health_check_changed":
            let minutes = details["to"]?.int
            title = minutes == nil ? "Health checks turned off" : "Health checks scheduled"
            detail = minutes.map { "Every " + HealthCheckState.intervalText(minutes: $0) } ?? ""
        case "connector.attached", "connector.detached":
            let agent = details["agent_id"]?.string ?? "?"
            let alias = details["alias"]?.string ?? "?"
            title =
                event.action == "connector.attached"
                ? "Attached to agent \(agent)" : "Detached from agent \(agent)"
            detail = "Alias “\(alias)”"
        default:
            title = event.action
        }
        return [
            "kind": .string(kind), "title": .string(title), "detail": .string(detail),
            "actor": .string(event.actorLabel),
            "when": .string(ViewFormatting.display(event.createdAt)),
            "when_iso": .string(ViewFormatting.iso(event.createdAt)),
        ]
    }

    private static func changes(_ details: JSON) -> String {
        let names = (details["changed"]?.array ?? []).compactMap(\.string)
        return names.isEmpty ? "" : names.joined(separator: ", ")
    }
}
