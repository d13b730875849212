import Foundation
import HTTPServer
import JSON
import Patchbay

/// Attachments and query results in and out of the JSON API. An attachment shows its connector's
/// effective settings and its credentials only as `{"set", "secret", "fingerprint", ...}`, the way
/// `ConnectorJSON` shows them: no secret value ever leaves.
enum AttachmentJSON {
    static func attached(_ item: AttachedConnector) -> JSON {
        let attachment = item.attachment
        let connector = item.connector
        let auth = ConnectorJSON.connector(connector, type: item.type)["auth"] ?? [:]
        return [
            "instance_id": .string(attachment.id.lowercased), "agent_id": .string(attachment.agentID),
            "alias": .string(attachment.alias),
            "connector": [
                "id": .string(connector.id.lowercased), "name": .string(connector.name),
                "catalog_key": .string(connector.catalog.key), "status": .string(connector.status.rawValue),
            ],
            "config": .object(masked(item.effectiveConfig, type: item.type)),
            "config_override": .object(masked(attachment.configOverride, type: item.type)),
            "auth": auth,
            "created_at": APIJSON.date(attachment.createdAt), "created_by": .string(attachment.createdBy),
        ]
    }

    /// Settings as they are, except any the schema marks secret (manifests keep secrets in the auth
    /// schema, so this is a second wall): those show only that they are set.
    static func masked(_ config: JSONObject, type: ConnectorType) -> JSONObject {
        let properties = type.manifest.configSchemaJSON["properties"]?.object ?? [:]
        return JSONObject(
            config.map { key, value -> (String, JSON) in
                let property = properties[key]
                let isSecret = property?["writeOnly"]?.bool == true || property?["x-secret"]?.bool == true
                return (key, isSecret ? ["set": true, "secret": true] : value)
            })
    }

    /// The body of `POST /connectors/{id}/attach`.
    static func draft(_ body: JSONObject) throws -> AttachmentDraft {
        AttachmentDraft(
            agentID: try ConnectorJSON.string(body, "agent_id") ?? "",
            alias: try ConnectorJSON.string(body, "alias") ?? "",
            configOverride: try ConnectorJSON.object(body, "config_override") ?? [:])
    }

    /// The body of `POST /connectors/{id}/query`.
    static func query(_ body: JSONObject) throws -> QueryRequest {
        var params: [JSON] = []
        switch body["params"] {
        case nil, .null?: break
        case .array(let values)?: params = values
        default: throw AppError.validation(["params": ["must be an array of values for $1, $2, ..."]])
        }
        guard let sql = try ConnectorJSON.string(body, "sql") else {
            throw AppError.validation(["sql": ["is required"]])
        }
        return QueryRequest(
            sql: sql, params: params, timeoutMilliseconds: try integer(body, "timeout_ms"),
            maxRows: try integer(body, "max_rows"), alias: try ConnectorJSON.string(body, "alias"))
    }

    private static func integer(_ body: JSONObject, _ key: String) throws -> Int? {
        switch body[key] {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.int else { throw AppError.validation([key: ["must be a whole number"]]) }
            return number
        }
    }
}

extension HTTPRequest {
    /// A UUID path parameter; anything else cannot name the object, so it is a 404.
    func uuidParameter(_ name: String, _ what: String) throws -> UUID {
        guard let id = parameters[name].flatMap(UUID.init(uuidString:)) else { throw AppError.notFound(what) }
        return id
    }
}
