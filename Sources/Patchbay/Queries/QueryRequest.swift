import Foundation
import JSON

/// A query as a caller sends it: one SQL statement with `$1...$n` placeholders and their values.
public struct QueryRequest: Sendable {
    public var sql: String
    /// Bound in order as text (the server infers each type from the statement); `null` is SQL NULL,
    /// numbers and booleans go as their JSON text, arrays and objects as JSON (for json/jsonb).
    public var params: [JSON]
    /// Lowers the statement timeout for this query.
    public var timeoutMilliseconds: Int?
    /// Lowers the row cap for this query.
    public var maxRows: Int?
    /// For an agent's token whose agent has the connector attached under several aliases: which
    /// attachment's settings to use.
    public var alias: String?

    public init(
        sql: String, params: [JSON] = [], timeoutMilliseconds: Int? = nil, maxRows: Int? = nil,
        alias: String? = nil
    ) {
        self.sql = sql
        self.params = params
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxRows = maxRows
        self.alias = alias
    }
}

/// A query checked against the settings, ready to run.
struct PlannedQuery: Sendable {
    var sql: String
    var parameters: [String?]
    var timeout: Duration
    var maxRows: Int

    /// Checks `request`; problems are a 422 per field (`sql`, `params[1]`, `timeout_ms`, `max_rows`).
    /// The timeout is the request's, else the settings' default, never more than either the settings
    /// or the connector's own `statement_timeout_ms` allow.
    static func plan(_ request: QueryRequest, settings: QuerySettings, config: JSONObject) throws
        -> PlannedQuery
    {
        var errors: [String: [String]] = [:]
        let sql = request.sql.trimmingCharacters(in: .whitespacesAndNewlines)
        if sql.isEmpty {
            errors["sql", default: []].append("is required")
        } else if sql.count > settings.maxSQLLength {
            errors["sql", default: []].append("must be at most \(settings.maxSQLLength) characters")
        }
        if request.params.count > settings.maxParameters {
            errors["params", default: []].append("must have at most \(settings.maxParameters) values")
        }
        let limit = FailureWording.milliseconds(settings.timeout)
        var timeout = settings.timeout
        if let asked = request.timeoutMilliseconds {
            if (1...limit).contains(asked) {
                timeout = .milliseconds(asked)
            } else {
                errors["timeout_ms", default: []].append("must be from 1 to \(limit) milliseconds")
            }
        }
        if let own = config["statement_timeout_ms"]?.int, own > 0, .milliseconds(own) < timeout {
            timeout = .milliseconds(own)
        }
        var maxRows = settings.maxRows
        if let asked = request.maxRows {
            if (1...settings.maxRows).contains(asked) {
                maxRows = asked
            } else {
                errors["max_rows", default: []].append("must be from 1 to \(settings.maxRows)")
            }
        }
        let parameters = request.params.map(text(of:))
        for (index, value) in parameters.enumerated() where value?.utf8.contains(0) == true {
            errors["params[\(index)]", default: []].append("must not contain the NUL character (U+0000)")
        }
        guard errors.isEmpty else { throw AppError.validation(errors) }
        return PlannedQuery(sql: sql, parameters: parameters, timeout: timeout, maxRows: maxRows)
    }

    /// A parameter's text form; nil for `null`.
    static func text(of value: JSON) -> String? {
        switch value {
        case .null: nil
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: value.serializedString()
        }
    }
}
