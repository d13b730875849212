import HTTPServer
import Patchbay
import Templating

/// `/settings/audit`: the tenant's audit log for admins, newest first, 50 per page.
struct AuditRoutes {
    let settings: SettingsPages
    static let pageSize = 50

    func register(on group: RouteGroup<PatchbayContext>) {
        group.get("/audit", routeInfo("Audit log", .auditRead, page: true)) { request, context in
            let before = request.query.get("before", as: Int64.self)
            let page = try await settings.services.audit.page(
                limit: Self.pageSize, before: before, context.identity)
            return try await settings.render(
                "pages/settings-audit", title: "Audit log", tab: .audit,
                model: [
                    ("events", .list(page.events.map(Self.row(for:)))),
                    ("older_url", .string(page.nextCursor.map { "/settings/audit?before=\($0)" } ?? "")),
                    ("newest_url", .string(before == nil ? "" : "/settings/audit")),
                ], request: request, context: context)
        }
    }

    static func row(for event: AuditEvent) -> TemplateValue {
        let target = event.targetType.isEmpty ? "" : "\(event.targetType) \(event.targetID)"
        let details = event.details.object?.isEmpty == false ? event.details.serializedString() : ""
        return [
            "id": .string(String(event.id)), "when": .string(ViewFormatting.display(event.createdAt)),
            "when_iso": .string(ViewFormatting.iso(event.createdAt)), "actor": .string(event.actorLabel),
            "action": .string(event.action), "target": .string(target), "ip": .string(event.ip),
            "request_id": .string(event.requestID), "details": .string(details),
        ]
    }
}
