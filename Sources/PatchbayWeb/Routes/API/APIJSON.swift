import Foundation
import HTTPServer
import JSON
import Patchbay

/// JSON bodies in and out of the identity API.
enum APIJSON {
    /// The request body as a JSON object; 400 otherwise.
    static func body(_ request: HTTPRequest) throws -> JSONObject {
        guard !request.body.isEmpty, case .object(let object)? = try? JSON(parsing: request.body) else {
            throw AppError(.badRequest, "The request body must be a JSON object.")
        }
        return object
    }

    static func string(_ object: JSONObject, _ key: String, required: Bool = true) throws -> String? {
        switch object[key] {
        case .string(let value)?: return value
        case nil, .null?:
            if required { throw AppError.validation([key: ["is required"]]) }
            return nil
        default: throw AppError.validation([key: ["must be a string"]])
        }
    }

    static func role(_ object: JSONObject) throws -> Role {
        guard let role = try string(object, "role").flatMap(Role.init(parsing:)) else {
            throw AppError.validation(["role": ["must be one of owner, admin, developer, viewer"]])
        }
        return role
    }

    static func int(_ object: JSONObject, _ key: String) throws -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?:
            guard let int = value.int else { throw AppError.validation([key: ["must be a whole number"]]) }
            return int
        }
    }

    static func respond(_ value: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        respond(bytes: value.serialized(), status: status)
    }

    /// A body serialized earlier (or kept in a cache).
    static func respond(bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse.json(bytes, status: status)
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
    }

    static func date(_ date: Date?) -> JSON { date.map { .string(ViewFormatting.iso($0)) } ?? .null }

    static func member(_ member: Member) -> JSON {
        [
            "user_id": .string(member.userID.lowercased), "email": .string(member.email),
            "name": .string(member.name), "role": .string(member.role.rawValue),
            "joined_at": date(member.joinedAt),
        ]
    }

    static func token(_ token: APIToken) -> JSON {
        [
            "id": .string(token.id.lowercased), "name": .string(token.name),
            "prefix": .string(token.displayPrefix), "role": .string(token.role.rawValue),
            "status": .string(token.status()),
            "created_by": token.createdBy.map { .string($0.lowercased) } ?? .null,
            "created_at": date(token.createdAt), "expires_at": date(token.expiresAt),
            "revoked_at": date(token.revokedAt), "last_used_at": date(token.lastUsedAt),
            "agent_id": token.agentID.map(JSON.string) ?? .null,
        ]
    }

    static func event(_ event: AuditEvent) -> JSON {
        [
            "id": .int(event.id), "action": .string(event.action), "actor": .string(event.actorLabel),
            "actor_user_id": event.actorUserID.map { .string($0.lowercased) } ?? .null,
            "target_type": .string(event.targetType), "target_id": .string(event.targetID),
            "request_id": .string(event.requestID), "ip": .string(event.ip), "details": event.details,
            "created_at": date(event.createdAt),
        ]
    }

    static func me(_ identity: Identity) -> JSON {
        var body: JSONObject = [
            "auth": .string(identity.tokenID == nil ? "session" : "token"),
            "permissions": .array(Action.allCases.filter { identity.can($0) }.map { .string($0.rawValue) }),
        ]
        if let userID = identity.userID {
            body["user"] = [
                "id": .string(userID.lowercased), "email": .string(identity.email),
                "name": .string(identity.tokenID == nil ? identity.name : ""),
                "is_superuser": .bool(identity.isSuperuser),
            ]
        } else {
            body["user"] = .null
        }
        if let tenant = identity.tenant {
            body["tenant"] = [
                "id": .string(tenant.tenantID.lowercased), "slug": .string(tenant.slug),
                "name": .string(tenant.name), "role": .string(tenant.role.rawValue),
            ]
        } else {
            body["tenant"] = .null
        }
        if case .token(let id, let name) = identity.method {
            body["token"] = ["id": .string(id.lowercased), "name": .string(name)]
        }
        return .object(body)
    }
}
