import Foundation
import Glibc
import HTTPServer
import Patchbay
import Templating

extension UUID {
    /// The lowercase form used in URLs, pages and JSON.
    var lowercased: String { uuidString.lowercased() }
}

/// Dates and small shared pieces of the identity pages' view models.
enum ViewFormatting {
    /// `2026-03-01 14:05 UTC`.
    static func display(_ date: Date) -> String {
        let parts = utc(date)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)) UTC"
    }

    /// `2026-03-01T14:05:09Z`, for `<time datetime>` and JSON.
    static func iso(_ date: Date) -> String {
        let parts = utc(date)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }

    private static func utc(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `<select>` options for roles up to `maximum`, most powerful first.
    static func roleOptions(selected: Role?, maximum: Role = .owner) -> TemplateValue {
        .list(
            Role.descending.filter { $0 <= maximum }.map { role in
                [
                    "value": .string(role.rawValue), "label": .string(role.label),
                    "selected": .bool(role == selected),
                ]
            })
    }

    /// Field errors as the templates show them: `{field: "message; message"}` plus a flat list.
    static func errors(_ error: AppError?) -> [(String, TemplateValue)] {
        guard let error else { return [("error", ""), ("field_errors", [:])] }
        let fields = error.fields.map { ($0.key, TemplateValue.string($0.value.joined(separator: "; "))) }
        let summary = error.fields.isEmpty ? error.message : error.message
        return [("error", .string(summary)), ("field_errors", .object(TemplateObject(fields)))]
    }

    /// The site's base URL for links shown to people (invite links).
    static func baseURL(_ request: HTTPRequest, web: WebSettings) -> String {
        if let origin = web.publicOrigin { return origin }
        return "http://" + (request.headers["Host"] ?? "127.0.0.1")
    }
}
