import Foundation
import JSON
import JSONSchema
import Patchbay
import Templating

/// View models for the Catalog tab and the catalog detail page.
enum CatalogViewModels {
    static let statusLabels = [
        "draft": "Draft", "beta": "Beta", "stable": "Stable", "deprecated": "Deprecated",
    ]
    static let authLabels = [
        "oauth": "OAuth", "api_key": "API key", "basic": "Username & password", "none": "No auth",
    ]

    /// Cards per page of the Catalog tab; "Show more" appends the next page.
    static let pageSize = 48

    static func panel(
        page: CatalogPage, filter: CatalogFilter, categories: [(name: String, count: Int)], canInstall: Bool
    ) -> TemplateValue {
        let entries = page.entries
        let q = filter.query ?? ""
        var chips: [TemplateValue] = [
            chip(
                label: "All", category: nil, q: q, count: categories.reduce(0) { $0 + $1.count },
                active: filter.category == nil)
        ]
        chips += categories.map {
            chip(
                label: humanize($0.name), category: $0.name, q: q, count: $0.count,
                active: filter.category == $0.name)
        }
        let summary: String
        if filter.query != nil || filter.category != nil {
            let noun = page.total == 1 ? "connector" : "connectors"
            summary =
                "\(page.total) \(noun)" + (filter.query.map { " for “\($0)”" } ?? "")
                + (filter.category.map { " in \(humanize($0))" } ?? "")
        } else {
            summary = ""
        }
        return [
            "q": .string(filter.query ?? ""),
            "category": .string(filter.category ?? ""),
            "categories": .list(chips),
            "connectors": .list(entries.map { card($0, canInstall: canInstall) }),
            "summary": .string(summary),
            "more_url": .string(moreURL(page: page, filter: filter) ?? ""),
            "more_count": .int(min(pageSize, page.total - page.offset - entries.count)),
            "empty": [
                "title": "No connectors match",
                "message": "Try another search or clear the category filter.",
                "action_url": "/features/connectors/catalog",
                "action_label": "Show everything",
                "action_hx": true,
            ],
        ]
    }

    static func card(_ entry: CatalogEntry, canInstall: Bool) -> TemplateValue {
        let manifest = entry.manifest
        return [
            "key": .string(entry.key),
            "name": .string(manifest.name),
            "provider": .string(manifest.provider),
            "description": .string(manifest.description),
            "category": .string(humanize(manifest.category)),
            "status": .string(manifest.status),
            "status_label": .string(statusLabels[manifest.status] ?? manifest.status),
            "icon_url": .string("/static/icons/\(manifest.icon)"),
            "auth_label": .string(authLabels[manifest.authType] ?? ""),
            "version": .string(manifest.version.text),
            "url": .string("/features/connectors/catalog/\(entry.key)"),
            "install_url": .string("/features/connectors/new/\(entry.key)"),
            "can_install": .bool(canInstall && manifest.status != "deprecated"),
            "unavailable_reason": .string(manifest.status == "deprecated" ? "Deprecated" : ""),
        ]
    }

    static func detail(_ entry: CatalogEntry, versions: [CatalogVersion]) -> TemplateValue {
        let manifest = entry.manifest
        guard case .object(var model) = card(entry, canInstall: false) else { return .null }
        model["docs_url"] = .string(manifest.docsURL)
        model["kind"] = .string(manifest.kind)
        model["is_platform"] = .bool(entry.isPlatform)
        model["capabilities"] = .list(manifest.capabilities.map { .string($0) })
        model["tags"] = .list(manifest.tags.map { .string($0) })
        model["status_note"] = .string(manifest.json["status_note"]?.string ?? "")
        model["versions"] = .list(
            versions.map {
                [
                    "version": .string($0.version), "is_latest": .bool($0.isLatest),
                    "published": .string($0.createdAt.formatted(date: .abbreviated, time: .omitted)),
                    "checksum": .string(String($0.checksum.prefix(12))),
                ]
            })
        model["config_fields"] = .list(fieldRows(manifest.configSchema.formFields(namePrefix: "config")))
        model["auth_fields"] = .list(fieldRows(manifest.authSchema.formFields(namePrefix: "auth")))
        let actions = operations(manifest.json["actions"])
        let triggers = operations(manifest.json["triggers"])
        model["actions"] = .list(actions)
        model["has_actions"] = .bool(!actions.isEmpty)
        model["triggers"] = .list(triggers)
        model["has_triggers"] = .bool(!triggers.isEmpty)
        return .object(model)
    }

    /// The fields a form will ask for, flattened with their nesting shown by indentation depth.
    static func fieldRows(_ fields: [FormField], depth: Int = 0) -> [TemplateValue] {
        fields.flatMap { field -> [TemplateValue] in
            let row: TemplateValue = [
                "label": .string(field.label),
                "name": .string(field.path),
                "kind": .string(kindLabel(field.kind)),
                "required": .bool(field.isRequired),
                "description": .string(field.description ?? ""),
                "nested": .bool(depth > 0),
            ]
            return [row] + fieldRows(children(of: field.kind), depth: depth + 1)
        }
    }

    static func children(of kind: FormFieldKind) -> [FormField] {
        switch kind {
        case .fieldset(let fields), .objectList(let fields): fields
        case .choice(let choice): choice.options.flatMap(\.fields)
        default: []
        }
    }

    static func kindLabel(_ kind: FormFieldKind) -> String {
        switch kind {
        case .secret: "secret"
        case .checkbox: "yes / no"
        case .select, .multiSelect: "choice"
        case .choice: "one of several"
        case .keyValueList: "key/value list"
        case .list, .objectList: "list"
        case .fieldset: "group"
        case .number: "number"
        case .textarea: "text (long)"
        default: "text"
        }
    }

    static func operations(_ json: JSON?) -> [TemplateValue] {
        (json?.array ?? []).map {
            [
                "name": .string($0["name"]?.string ?? ""),
                "description": .string($0["description"]?.string ?? ""),
            ]
        }
    }

    static func moreURL(page: CatalogPage, filter: CatalogFilter) -> String? {
        let next = page.offset + page.entries.count
        guard next < page.total else { return nil }
        return link(q: filter.query ?? "", category: filter.category, offset: next)
    }

    static func link(q: String, category: String?, offset: Int = 0) -> String {
        var items: [URLQueryItem] = []
        if !q.isEmpty { items.append(URLQueryItem(name: "q", value: q)) }
        if let category { items.append(URLQueryItem(name: "category", value: category)) }
        if offset > 0 { items.append(URLQueryItem(name: "offset", value: String(offset))) }
        var components = URLComponents()
        components.path = "/features/connectors/catalog"
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? components.path
    }

    static func chip(label: String, category: String?, q: String, count: Int, active: Bool) -> TemplateValue {
        [
            "label": .string(label), "url": .string(link(q: q, category: category)), "active": .bool(active),
            "count": .int(count),
        ]
    }

    static func humanize(_ name: String) -> String {
        switch name {
        case "crm": "CRM"
        case "http": "HTTP"
        case "ai": "AI"
        case "hr": "HR"
        default: name.prefix(1).uppercased() + name.dropFirst()
        }
    }
}
