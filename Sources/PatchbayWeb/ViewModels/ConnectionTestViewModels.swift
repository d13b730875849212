import Foundation
import Patchbay
import Templating

/// View models of connection tests and health checks: a test's result (`partials/connection-test-result`),
/// the card's health-check line and the detail page's health-check setting.
extension InstalledViewModels {
    /// Intervals offered on the detail page, in minutes.
    static let healthCheckChoices = [5, 15, 30, 60, 360, 1440]

    /// The card's "Checked every 15 minutes" line; false when checks are off.
    static func healthCheck(_ state: HealthCheckState) -> TemplateValue {
        guard state.isEnabled else { return false }
        return [
            "every": .string(state.intervalText),
            "last_checked": .string(state.lastCheckedAt.map { relative($0) } ?? ""),
            "last_checked_iso": .string(state.lastCheckedAt.map(ViewFormatting.iso) ?? ""),
            "failures": .string(state.consecutiveFailures > 0 ? String(state.consecutiveFailures) : ""),
        ]
    }

    /// The detail page's health-check row and form: the current setting and the choices.
    static func healthCheckSetting(_ connector: Connector) -> TemplateValue {
        let state = connector.healthCheck
        var choices = healthCheckChoices
        if let current = state.intervalMinutes, !choices.contains(current) {
            choices.append(current)
            choices.sort()
        }
        var options: [TemplateValue] = [["value": "", "label": "Off", "selected": .bool(!state.isEnabled)]]
        options += choices.map { minutes in
            return [
                "value": .string(String(minutes)),
                "label": .string("Every " + HealthCheckState.intervalText(minutes: minutes)),
                "selected": .bool(state.intervalMinutes == minutes),
            ]
        }
        return [
            "is_on": .bool(state.isEnabled), "every": .string(state.intervalText),
            "next": .string(state.nextCheckAt.map(ViewFormatting.display) ?? ""),
            "next_iso": .string(state.nextCheckAt.map(ViewFormatting.iso) ?? ""),
            "last_checked": .string(state.lastCheckedAt.map(ViewFormatting.display) ?? ""),
            "last_checked_iso": .string(state.lastCheckedAt.map(ViewFormatting.iso) ?? ""),
            "failures": .string(state.consecutiveFailures > 0 ? String(state.consecutiveFailures) : ""),
            "is_active": .bool(connector.status == .active),
            "url": .string("/features/connectors/\(connector.id.lowercased)/health-check"),
            "options": .list(options),
        ]
    }

    /// `partials/connection-test-result`: a test's verdict, or the problems that kept it from running.
    static func testResult(_ result: ConnectionTestResult, note: String = "") -> TemplateValue {
        let title: String
        if result.success {
            title = "Connection works"
        } else if result.errorKind == .unsupported {
            title = "No test for this connector"
        } else {
            title = "The test failed"
        }
        return [
            "success": .bool(result.success), "title": .string(title), "message": .string(result.message),
            "latency": .string(result.errorKind == .unsupported ? "" : "\(result.latencyMs) ms"),
            "error_kind": .string(result.errorKind?.rawValue ?? ""), "problems": .list([]),
            "has_problems": false,
            "note": .string(note),
        ]
    }

    /// The same partial when the settings cannot be tested as they are.
    static func testProblems(_ error: AppError) -> TemplateValue {
        let lines = error.fields.sorted { $0.key < $1.key }.flatMap { path, messages in
            messages.map { TemplateValue.string(ConnectorFormModel.label(path) + ": " + $0) }
        }
        return [
            "success": false, "title": "Not tested yet", "message": .string(error.message), "latency": "",
            "error_kind": "", "problems": .list(lines), "has_problems": .bool(!lines.isEmpty), "note": "",
        ]
    }
}
