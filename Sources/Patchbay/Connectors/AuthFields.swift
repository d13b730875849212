import Foundation
import JSON
import Secrets

/// Merging credential changes into the stored ones, and describing the result without its secrets.
enum AuthFields {
    /// The stored object with `changes` applied, keeping only the fields of the method it selects.
    static func merge(_ stored: JSONObject, _ changes: [String: AuthFieldChange], shape: AuthShape)
        -> JSONObject
    {
        var merged = stored
        for (name, change) in changes.sorted(by: { $0.key < $1.key }) {
            switch change {
            case .set(let value): merged[name] = value
            case .clear: _ = merged.removeValue(forKey: name)
            case .keep: continue
            }
        }
        return shape.restricted(merged)
    }

    /// Install-time credentials: every given value is set; empty strings and nulls are left out.
    static func changes(setting auth: JSONObject) -> [String: AuthFieldChange] {
        var changes: [String: AuthFieldChange] = [:]
        for (name, value) in auth {
            switch value {
            case .null: continue
            case .string(let text) where text.isEmpty: continue
            default: changes[name] = .set(value)
            }
        }
        return changes
    }

    /// What may be shown of `auth`: fingerprints for every field, values of non-secret ones. A field
    /// whose value did not change keeps its previous `updated_at`/`updated_by`.
    static func states(
        for auth: JSONObject, previous: [AuthFieldState], shape: AuthShape, fingerprinter: Fingerprinter,
        actor: String, now: Date
    ) throws -> [AuthFieldState] {
        let order = shape.orderedKeys
        let names = auth.keys.sorted {
            (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1)
        }
        return try names.map { name in
            let value = auth[name] ?? .null
            var bytes = value.string.map { Array($0.utf8) } ?? value.serialized()
            defer { for index in bytes.indices { bytes[index] = 0 } }
            let fingerprint = try fingerprinter.fingerprint(of: bytes)
            if let old = previous.first(where: { $0.name == name }), old.fingerprint == fingerprint {
                return AuthFieldState(
                    name: name, isSecret: shape.isSecret(name), fingerprint: fingerprint,
                    updatedAt: old.updatedAt,
                    updatedBy: old.updatedBy, value: value)
            }
            return AuthFieldState(
                name: name, isSecret: shape.isSecret(name), fingerprint: fingerprint, updatedAt: now,
                updatedBy: actor, value: value)
        }
    }

    /// Names of the fields whose value differs between two descriptions (added, removed or changed).
    static func changedNames(_ old: [AuthFieldState], _ new: [AuthFieldState]) -> [String] {
        let before = Dictionary(
            old.map { ($0.name, $0.fingerprint) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.name, $0.fingerprint) }, uniquingKeysWith: { first, _ in first })
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// The `auth_fields` column.
    static func encode(_ states: [AuthFieldState]) -> JSON {
        .object(
            JSONObject(
                states.map { state -> (String, JSON) in
                    var object: JSONObject = [
                        "set": true, "secret": .bool(state.isSecret),
                        "fingerprint": .string(state.fingerprint),
                        "updated_at": .string(state.updatedAt.ISO8601Format()),
                        "updated_by": .string(state.updatedBy),
                    ]
                    if let value = state.value { object["value"] = value }
                    return (state.name, .object(object))
                }))
    }

    /// Reads the `auth_fields` column, in `order` (the schema's field order) where it names the field.
    static func decode(_ json: JSON, order: [String] = []) -> [AuthFieldState] {
        guard case .object(let object) = json else { return [] }
        let states = object.compactMap { name, field -> AuthFieldState? in
            guard field["set"]?.bool == true else { return nil }
            let date =
                field["updated_at"]?.string.flatMap { try? Date($0, strategy: .iso8601) }
                ?? Date(timeIntervalSince1970: 0)
            return AuthFieldState(
                name: name, isSecret: field["secret"]?.bool ?? true,
                fingerprint: field["fingerprint"]?.string ?? "",
                updatedAt: date, updatedBy: field["updated_by"]?.string ?? "", value: field["value"])
        }
        return states.sorted {
            (order.firstIndex(of: $0.name) ?? .max, $0.name) < (
                order.firstIndex(of: $1.name) ?? .max, $1.name
            )
        }
    }
}
