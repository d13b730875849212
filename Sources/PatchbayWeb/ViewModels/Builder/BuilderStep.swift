/// The steps of the connector builder, in order, and which step shows which field.
enum BuilderStep: String, CaseIterable {
    case basics, request, auth, advanced, mappings

    var label: String {
        switch self {
        case .basics: "Basic info"
        case .request: "Request"
        case .auth: "Authentication"
        case .advanced: "Advanced"
        case .mappings: "Try it & map"
        }
    }

    /// The settings shown under Advanced, in order.
    static let advancedOrder = [
        "timeout_ms", "retries", "retry_backoff_ms", "retry_on_status", "follow_redirects", "verify_tls",
    ]
    static let advancedSettings = Set(advancedOrder)

    /// The step whose fields show problems filed under `path` (`config.headers[1].key`, `auth.token`).
    /// Whatever no step claims (the whole config, a stale version) belongs to the request, the heart
    /// of the form; the summary above the steps lists those problems as well.
    static func holding(_ path: String) -> BuilderStep {
        let root = String(path.prefix { $0 != "." && $0 != "[" })
        switch root {
        case "name", "tags", "row_version", "catalog_key": return .basics
        case "auth": return .auth
        case "enabled": return .advanced
        case "_sample": return .mappings
        case "config": break
        default: return .request
        }
        let rest = path.dropFirst("config.".count)
        let key = String(rest.prefix { $0 != "." && $0 != "[" })
        if key == "description" { return .basics }
        if key == "field_mappings" { return .mappings }
        if advancedSettings.contains(key) { return .advanced }
        return .request
    }
}
