import Foundation
import HTTPServer
import Patchbay
import Templating

/// View models of the Installed tab: the panel (toolbar, cards, empty state) and one card.
enum InstalledViewModels {
    static let base = "/features/connectors/installed"

    /// What the caller may do to cards, and the CSRF token their forms carry.
    struct Permissions {
        var canEdit: Bool
        var canDelete: Bool
        var csrfToken: String
        /// May run connection tests (`connector.test`).
        var canTest = false
    }

    static func panel(
        page: ConnectorPage, facets: ConnectorFacets, filter: ConnectorFilter, permissions: Permissions
    ) -> TemplateValue {
        let isFiltered =
            filter.status != nil || filter.category != nil || filter.tag != nil || filter.query != nil
        let shown = page.offset + page.connectors.count
        let noun = facets.total == 1 ? "connector" : "connectors"
        let summary =
            facets.total == 0
            ? "" : isFiltered ? "\(page.total) of \(facets.total) \(noun) match" : "\(facets.total) \(noun)"
        return [
            "q": .string(filter.query ?? ""),
            "status": .string(filter.status?.rawValue ?? ""),
            "tag": .string(filter.tag ?? ""),
            "clear_tag_url": .string(link(filter, tag: .some(nil))),
            "statuses": statuses(facets: facets, filter: filter), "statuses_oob": false,
            "has_categories": .bool(facets.categories.count > 1 || filter.category != nil),
            "categories": .list(
                facets.categories.map { category in
                    [
                        "value": .string(category.name),
                        "label": .string(CatalogViewModels.humanize(category.name)),
                        "selected": .bool(category.name == filter.category),
                    ]
                }),
            "connectors": .list(page.connectors.map { card($0, permissions) }),
            "summary": .string(summary),
            "more_url": .string(shown < page.total ? link(filter, offset: shown) : ""),
            "more_count": .int(min(filter.limit, page.total - shown)),
            "empty": isFiltered ? filteredEmpty : noneYet,
        ]
    }

    /// The status chips (All, Inactive, Active, Error) with their counts.
    static func statuses(facets: ConnectorFacets, filter: ConnectorFilter) -> TemplateValue {
        var chips: [TemplateValue] = [
            chip("All", link(filter, status: .some(nil)), count: facets.total, active: filter.status == nil)
        ]
        chips += ConnectorStatus.allCases.map { status in
            chip(
                status.label, link(filter, status: status), count: facets.statusCounts[status] ?? 0,
                active: filter.status == status)
        }
        return .list(chips)
    }

    static let noneYet: TemplateValue = [
        "title": "No connectors yet",
        "message": "Pick one in the catalog, fill in its settings and it shows up here, ready to activate.",
        "action_url": "/features/connectors/catalog", "action_label": "Browse the catalog", "action_hx": true,
    ]

    static let filteredEmpty: TemplateValue = [
        "title": "Nothing matches", "message": "Try another search or clear the filters.",
        "action_url": .string(base), "action_label": "Clear the filters", "action_hx": true,
    ]

    /// `partials/installed-card`.
    static func card(_ connector: Connector, _ permissions: Permissions) -> TemplateValue {
        let id = connector.id.lowercased
        let actions = "/features/connectors/\(id)"
        return [
            "id": .string(id), "name": .string(connector.name),
            "catalog_name": .string(connector.catalog.name),
            "icon_url": .string("/static/icons/\(connector.catalog.icon)"),
            "url": .string(detailURL(connector)),
            "edit_url": .string(actions + "/edit"), "status": .string(connector.status.rawValue),
            "status_label": .string(connector.status.label),
            "status_message": .string(connector.statusMessage),
            "tags": .list(
                connector.tags.map {
                    ["name": .string($0), "url": .string(base + "?tag=" + PercentEncoding.encode($0))]
                }),
            "last_test": lastTest(connector.lastTest), "is_active": .bool(connector.status == .active),
            "activate_url": .string(actions + "/activate"),
            "deactivate_url": .string(actions + "/deactivate"),
            "delete_url": .string(actions + "/delete"), "can_edit": .bool(permissions.canEdit),
            "can_delete": .bool(permissions.canDelete), "csrf_token": .string(permissions.csrfToken),
            "version": .string(connector.catalog.version),
            "upgrade_available": .bool(connector.catalog.upgradeAvailable && permissions.canEdit),
            "upgrade_url": .string(actions + "/edit?upgrade=1"),
            "latest_version": .string(connector.catalog.latestVersion),
            "can_test": .bool(permissions.canTest && connector.catalog.capabilities.contains("test")),
            "test_url": .string(actions + "/test"), "health_check": healthCheck(connector.healthCheck),
        ]
    }

    static func detailURL(_ connector: Connector) -> String { base + "/" + connector.id.lowercased }

    static func lastTest(_ test: ConnectorTestResult?) -> TemplateValue {
        guard let test else { return false }
        let latency = test.latencyMilliseconds.map { " · \($0) ms" } ?? ""
        return [
            "ok": .bool(test.succeeded), "result": .string((test.succeeded ? "Passed" : "Failed") + latency),
            "when": .string(relative(test.testedAt)), "when_iso": .string(ViewFormatting.iso(test.testedAt)),
            "error": .string(test.error ?? ""),
        ]
    }

    /// "just now", "5 minutes ago", "3 hours ago", "2 days ago", else the date.
    static func relative(_ date: Date, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return plural(seconds / 60, "minute") + " ago"
        case ..<86_400: return plural(seconds / 3600, "hour") + " ago"
        case ..<(86_400 * 14): return plural(seconds / 86_400, "day") + " ago"
        default: return ViewFormatting.display(date)
        }
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    private static func chip(_ label: String, _ url: String, count: Int, active: Bool) -> TemplateValue {
        ["label": .string(label), "url": .string(url), "count": .int(count), "active": .bool(active)]
    }

    /// The Installed URL for `filter` with one part changed (`.some(nil)` removes it).
    static func link(
        _ filter: ConnectorFilter, status: ConnectorStatus?? = nil, tag: String?? = nil, offset: Int = 0
    ) -> String {
        var items: [(String, String)] = []
        if let query = filter.query { items.append(("q", query)) }
        if let status = status ?? filter.status { items.append(("status", status.rawValue)) }
        if let category = filter.category { items.append(("category", category)) }
        if let tag = tag ?? filter.tag { items.append(("tag", tag)) }
        if offset > 0 { items.append(("offset", String(offset))) }
        guard !items.isEmpty else { return base }
        return base + "?" + items.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
    }
}
