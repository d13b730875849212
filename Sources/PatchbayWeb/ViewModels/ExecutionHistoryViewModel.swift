import Foundation
import JSON
import Patchbay
import Templating

/// `executions` of `pages/connector-detail` and `partials/execution-history`: the connector's latest
/// runs (each expandable to its redacted input, request, mapped fields, response and error), paging,
/// Replay buttons and the Run form.
enum ExecutionHistoryViewModel {
    /// What the Run form shows: the text posted back, and its problems by field (`input`, `contact`).
    struct RunForm {
        var input = "{}"
        var contact = "{}"
        var errors: [String: String] = [:]
    }

    /// What the panel is about and what the caller may do in it.
    struct Context {
        var connector: Connector
        /// Runs and replays are offered (the caller may execute and the connector can run).
        var canRun: Bool
        /// Why a caller who may execute sees no Run form ("" for none).
        var blockedReason: String
        var csrfToken: String
        /// The page came from an "Older" link (offer the way back).
        var isPaged: Bool
        /// The execution to show expanded (the one just run).
        var openID: UUID?
    }

    /// The longest response excerpt a page shows; the JSON API has the whole stored text.
    static let shownResponseCharacters = 4_000

    static func model(_ page: ExecutionRecordPage, _ context: Context, form: RunForm = RunForm())
        -> TemplateValue
    {
        let detail = "\(InstalledViewModels.base)/\(context.connector.id.lowercased)"
        let runURL = "/features/connectors/\(context.connector.id.lowercased)/execute"
        return [
            "run_url": .string(runURL), "can_run": .bool(context.canRun),
            "blocked_reason": .string(context.blockedReason),
            "csrf_token": .string(context.csrfToken),
            "items": .list(page.records.map { row($0, context) }),
            "has_items": .bool(!page.records.isEmpty),
            "older_url": .string(page.next.map { "\(detail)?before=\($0.description)" } ?? ""),
            "latest_url": .string(context.isPaged ? detail : ""),
            "has_paging": .bool(page.next != nil || context.isPaged),
            "form": [
                "input": .string(form.input), "contact": .string(form.contact),
                "input_error": .string(form.errors["input"] ?? ""),
                "contact_error": .string(form.errors["contact"] ?? ""),
                "has_errors": .bool(!form.errors.isEmpty),
            ],
        ]
    }

    static func row(_ record: ExecutionRecord, _ context: Context) -> TemplateValue {
        let summary = record.summary
        let output = record.output?.object ?? JSONObject()
        let mapped = output["mapped"]?.object ?? JSONObject()
        let raw = output["raw_response"]?.string ?? ""
        let shown = String(raw.prefix(shownResponseCharacters))
        let id = summary.id.lowercased
        return [
            "id": .string(id), "status": .string(summary.status.rawValue),
            "status_label": .string(label(summary.status)), "badge": .string(badge(summary.status)),
            "http_status": summary.httpStatus.map { .string(String($0)) } ?? "",
            "duration": .string(summary.durationMs.map { "\($0) ms" } ?? ""),
            "attempts_label": .string(summary.attempts == 1 ? "1 attempt" : "\(summary.attempts) attempts"),
            "when": .string(ViewFormatting.display(summary.createdAt)),
            "when_iso": .string(ViewFormatting.iso(summary.createdAt)),
            "who": .string(summary.createdBy.name),
            "is_queued": .bool(summary.mode == .async), "is_replay": .bool(summary.replayOf != nil),
            "error": .string(summary.error ?? ""), "error_kind": .string(summary.errorKind ?? ""),
            "input_json": .string(pretty(record.input)),
            "request_json": .string(record.request.map(pretty) ?? ""),
            "mapped_json": .string(mapped.isEmpty ? "" : pretty(.object(mapped))),
            "raw_response": .string(shown),
            "raw_cut": .bool(shown.count < raw.count || output["raw_response_truncated"]?.bool == true),
            "is_open": .bool(summary.id == context.openID),
            "replay_url": .string("/features/executions/\(id)/replay"),
            "api_url": .string("/api/v1/executions/\(id)"),
        ]
    }

    static func label(_ status: ExecutionStatus) -> String {
        switch status {
        case .pending: "Queued"
        case .executing: "Running"
        case .completed: "Completed"
        case .failed: "Failed"
        }
    }

    /// The badge colours the Installed cards use: green, red, grey.
    static func badge(_ status: ExecutionStatus) -> String {
        switch status {
        case .completed: "active"
        case .failed: "error"
        case .pending, .executing: "inactive"
        }
    }

    static func pretty(_ value: JSON) -> String {
        value.serializedString(options: .prettyPrinted)
    }
}
