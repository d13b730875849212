import Foundation
import HTTPServer
import JSON
import Patchbay

/// Installed connectors in and out of the JSON API. Credentials go out only as
/// `{"set", "secret", "fingerprint", "updated_at", "updated_by"}` (plus `value` for fields the schema
/// does not mark secret); secret values never leave.
enum ConnectorJSON {
    static func connector(_ connector: Connector, type: ConnectorType?) -> JSON {
        var auth = JSONObject()
        for state in connector.authFields {
            var field: JSONObject = [
                "set": true, "secret": .bool(state.isSecret), "fingerprint": .string(state.fingerprint),
                "updated_at": APIJSON.date(state.updatedAt), "updated_by": .string(state.updatedBy),
            ]
            if let value = state.value, !state.isSecret { field["value"] = value }
            auth[state.name] = .object(field)
        }
        if let type {
            let values = JSONObject(
                connector.authFields.compactMap { state in state.value.map { (state.name, $0) } })
            for key in type.auth.visibleKeys(for: values) where auth[key] == nil {
                auth[key] = ["set": false, "secret": .bool(type.auth.isSecret(key))]
            }
        }
        let catalog = connector.catalog
        return [
            "id": .string(connector.id.lowercased), "name": .string(connector.name),
            "status": .string(connector.status.rawValue), "status_message": .string(connector.statusMessage),
            "catalog": [
                "key": .string(catalog.key), "name": .string(catalog.name),
                "category": .string(catalog.category),
                "version": .string(catalog.version), "latest_version": .string(catalog.latestVersion),
                "upgrade_available": .bool(catalog.upgradeAvailable),
                "icon_url": .string("/static/icons/\(catalog.icon)"),
                "capabilities": .array(catalog.capabilities.map(JSON.string)),
            ],
            "config": .object(connector.config), "auth": .object(auth),
            "tags": .array(connector.tags.map(JSON.string)),
            "last_test": connector.lastTest.map { test -> JSON in
                [
                    "tested_at": APIJSON.date(test.testedAt),
                    "result": .string(test.succeeded ? "success" : "failure"),
                    "latency_ms": test.latencyMilliseconds.map { .int(Int64($0)) } ?? .null,
                    "error": test.error.map(JSON.string) ?? .null,
                ]
            } ?? .null,
            "health_check": healthCheck(connector.healthCheck),
            "created_at": APIJSON.date(connector.createdAt), "created_by": .string(connector.createdBy),
            "updated_at": APIJSON.date(connector.updatedAt), "updated_by": .string(connector.updatedBy),
            "row_version": .int(Int64(connector.rowVersion)),
        ]
    }

    /// `{"interval_minutes", "next_check_at", "last_checked_at", "consecutive_failures"}`; the interval
    /// is null when scheduled checks are off.
    static func healthCheck(_ state: HealthCheckState) -> JSON {
        [
            "interval_minutes": state.intervalMinutes.map { .int(Int64($0)) } ?? .null,
            "next_check_at": APIJSON.date(state.nextCheckAt),
            "last_checked_at": APIJSON.date(state.lastCheckedAt),
            "consecutive_failures": .int(Int64(state.consecutiveFailures)),
        ]
    }

    // MARK: Reading bodies

    static func string(_ body: JSONObject, _ key: String) throws -> String? {
        switch body[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw AppError.validation([key: ["must be a string"]])
        }
    }

    static func object(_ body: JSONObject, _ key: String) throws -> JSONObject? {
        switch body[key] {
        case nil, .null?: return nil
        case .object(let object)?: return object
        default: throw AppError.validation([key: ["must be an object"]])
        }
    }

    static func tags(_ body: JSONObject) throws -> [String]? {
        switch body["tags"] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard let text = item.string else {
                    throw AppError.validation(["tags": ["must be a list of strings"]])
                }
                return text
            }
        default: throw AppError.validation(["tags": ["must be a list of strings"]])
        }
    }

    /// `row_version` from the body, else from `If-Match: "3"`.
    static func rowVersion(_ body: JSONObject?, _ request: HTTPRequest) throws -> Int? {
        if let value = body?["row_version"], !value.isNull {
            guard let version = value.int else {
                throw AppError.validation(["row_version": ["must be a whole number"]])
            }
            return version
        }
        guard let header = request.headers["If-Match"] else { return nil }
        let digits = header.filter(\.isNumber)
        guard let version = Int(digits) else {
            throw AppError(.badRequest, "If-Match must be the connector's ETag, such as \"3\".")
        }
        return version
    }

    /// Credentials of an update: a value replaces, `""` or `null` clears, and an object — the masked
    /// form this API returns, or `{"unchanged": true}` — keeps the stored value, as does leaving the
    /// field out.
    static func authChanges(_ body: JSONObject) throws -> [String: AuthFieldChange] {
        guard let auth = try object(body, "auth") else { return [:] }
        var changes: [String: AuthFieldChange] = [:]
        for (key, value) in auth {
            switch value {
            case .null, .string(""): changes[key] = .clear
            case .object(let object) where object["unchanged"]?.bool == true || object["set"] != nil:
                changes[key] = .keep
            default: changes[key] = .set(value)
            }
        }
        return changes
    }

    static func etag(_ connector: Connector) -> String { "\"\(connector.rowVersion)\"" }
}
