import Foundation
import JSON
import Patchbay
import Templating

/// `attachments` of `partials/connector-attachments` (the "Attached agents" panel of the connector
/// detail page): the connector's attachments, and the attach form with what was posted and its
/// errors.
enum AttachmentViewModels {
    /// What the attach form shows: the posted values and, after a refused post, the errors.
    struct Form: Sendable {
        var agentID = ""
        var alias = ""
        var configOverride = ""
        var error: AppError?

        static let empty = Form()
    }

    static func panel(
        connectorID: UUID, attachments: [Attachment], canAttach: Bool, csrfToken: String, form: Form = .empty
    ) -> TemplateValue {
        let base = "/features/connectors/\(connectorID.lowercased)/attachments"
        return [
            "connector_id": .string(connectorID.lowercased), "attach_url": .string(base),
            "can_attach": .bool(canAttach), "csrf_token": .string(csrfToken),
            "has_items": .bool(!attachments.isEmpty),
            "items": .list(attachments.map { item(for: $0, base: base) }),
            "form": model(form),
        ]
    }

    private static func item(for attachment: Attachment, base: String) -> TemplateValue {
        let override = attachment.configOverride
        return [
            "instance_id": .string(attachment.id.lowercased), "agent_id": .string(attachment.agentID),
            "alias": .string(attachment.alias), "has_override": .bool(!override.isEmpty),
            "override_text": .string(JSON.object(override).serializedString()),
            "created": .string(ViewFormatting.display(attachment.createdAt)),
            "created_iso": .string(ViewFormatting.iso(attachment.createdAt)),
            "created_by": .string(attachment.createdBy),
            "detach_url": .string("\(base)/\(attachment.id.lowercased)/detach"),
        ]
    }

    /// The form's values and errors. Problems of single override keys (`config_override.port`) are
    /// listed under the override box as "port: message".
    private static func model(_ form: Form) -> TemplateValue {
        var fields: [String: [String]] = [:]
        for (key, messages) in form.error?.fields ?? [:] {
            if key.hasPrefix("config_override.") {
                let name = key.dropFirst("config_override.".count)
                fields["config_override", default: []] += messages.map { "\(name): \($0)" }
            } else {
                fields[key, default: []] += messages
            }
        }
        var errors: [(String, TemplateValue)] = []
        for key in ["agent_id", "alias", "config_override"] {
            let messages = (fields[key] ?? []).sorted()
            errors.append(("\(key)_errors", .list(messages.map(TemplateValue.string))))
            errors.append(("has_\(key)_errors", .bool(!messages.isEmpty)))
        }
        let unplaced = fields.keys.filter { !["agent_id", "alias", "config_override"].contains($0) }
        let summary = form.error.map { error in
            ([error.message]
                + unplaced.sorted().flatMap { key in fields[key, default: []].map { "\(key) \($0)" } })
                .joined(separator: " ")
        }
        return .object(
            TemplateObject(
                [
                    ("agent_id", .string(form.agentID)), ("alias", .string(form.alias)),
                    ("config_override", .string(form.configOverride)), ("error", .string(summary ?? "")),
                ] + errors))
    }
}
