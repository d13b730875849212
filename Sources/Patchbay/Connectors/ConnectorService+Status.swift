import Foundation
import JSON
import Postgres

extension ConnectorService {
    /// Activates or deactivates a connector (also out of `error`). Only failing tests and executions
    /// put a connector in error: asking for it here is a 422.
    public func setStatus(
        id: UUID, to status: ConnectorStatus, expectedVersion: Int? = nil, _ identity: Identity?,
        request: RequestInfo
    ) async throws -> Connector {
        let caller = try Authorization.tenant(for: .connectorActivate, identity)
        defer { listCache.invalidate(caller.tenantID) }
        return try await database.tenant(caller.tenantID) { connection in
            let old = try await locked(id, caller, connection)
            try Self.checkVersion(old, expected: expectedVersion)
            guard old.status.allowsUserChange(to: status) else {
                throw AppError.validation(
                    ["status": ["must be active or inactive; only failed tests and executions set error"]])
            }
            if old.status == status { return old }
            return try await changeStatus(
                old, to: status, message: "", actor: caller.actor, actorID: caller.identity.userID,
                actorName: caller.actorName, request: request, connection)
        }
    }

    /// Puts a connector in `error` with a message. For the test and execution runners, which have
    /// already authorised the run they report on: no role is checked here.
    public func markError(
        id: UUID, tenantID: UUID, message: String, actor: AuditActor, request: RequestInfo
    ) async throws -> Connector {
        defer { listCache.invalidate(tenantID) }
        return try await database.tenant(tenantID) { connection in
            guard
                let stored = try await ConnectorStore.find(id, tenantID: tenantID, lock: true, on: connection)
            else {
                throw AppError.notFound("The connector")
            }
            return try await markError(
                stored.connector, message: message, actor: actor, request: request, on: connection)
        }
    }

    /// `markError` inside the caller's transaction, on a row the caller has locked: for runners that
    /// record their result and the status change together. The caller invalidates the list cache.
    func markError(
        _ old: Connector, message: String, actor: AuditActor, request: RequestInfo,
        on connection: PostgresConnection
    ) async throws -> Connector {
        let message = String(message.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        if old.status == .error, old.statusMessage == message { return old }
        return try await changeStatus(
            old, to: .error, message: message.isEmpty ? "The connector failed." : message, actor: actor,
            actorID: actor.userID, actorName: actor.label, request: request, connection)
    }

    /// Deletes a connector; returns it as it was.
    @discardableResult
    public func delete(id: UUID, expectedVersion: Int? = nil, _ identity: Identity?, request: RequestInfo)
        async throws -> Connector
    {
        let caller = try Authorization.tenant(for: .connectorDelete, identity)
        defer { listCache.invalidate(caller.tenantID) }
        return try await database.tenant(caller.tenantID) { connection in
            let old = try await locked(id, caller, connection)
            try Self.checkVersion(old, expected: expectedVersion)
            try await ConnectorStore.delete(id, tenantID: caller.tenantID, on: connection)
            try await record(
                "connector.deleted", old,
                details: [
                    "name": .string(old.name), "catalog": .string(old.catalog.key),
                    "status": .string(old.status.rawValue),
                ],
                caller, request, connection)
            try await announceChange(caller.tenantID, on: connection)
            return old
        }
    }

    private func locked(_ id: UUID, _ caller: Caller, _ connection: PostgresConnection) async throws
        -> Connector
    {
        guard
            let stored = try await ConnectorStore.find(
                id, tenantID: caller.tenantID, lock: true, on: connection)
        else { throw AppError.notFound("The connector") }
        return stored.connector
    }

    private func changeStatus(
        _ old: Connector, to status: ConnectorStatus, message: String, actor: AuditActor, actorID: UUID?,
        actorName: String, request: RequestInfo, _ connection: PostgresConnection
    ) async throws -> Connector {
        try await ConnectorStore.setStatus(
            old.id, tenantID: old.tenantID, status: status, message: message, actorID: actorID,
            actorName: actorName,
            on: connection)
        var details: JSONObject = [
            "name": .string(old.name), "from": .string(old.status.rawValue), "to": .string(status.rawValue),
        ]
        if !message.isEmpty { details["message"] = .string(message) }
        try await AuditLog.record(
            AuditEntry(
                tenantID: old.tenantID, actor: actor, action: "connector.status_changed",
                targetType: "connector",
                targetID: old.id.uuidString.lowercased(), details: details),
            request: request, on: connection)
        try await announceChange(old.tenantID, on: connection)
        guard let updated = try await ConnectorStore.find(old.id, tenantID: old.tenantID, on: connection)
        else {
            throw AppError.notFound("The connector")
        }
        return updated.connector
    }
}
