import Foundation
import JSON
import JSONSchema

/// One published version of a catalog entry, as installed connectors use it: the manifest with its
/// compiled schemas, and the shape of its credentials.
public final class ConnectorType: Sendable {
    public let versionID: UUID
    public let manifest: ConnectorManifest
    public let auth: AuthShape

    init(versionID: UUID, manifest: ConnectorManifest) {
        self.versionID = versionID
        self.manifest = manifest
        self.auth = AuthShape(fields: manifest.authSchema.formFields(namePrefix: "auth"))
    }
}

/// Which auth fields hold secrets, and which fields belong to which authentication method.
///
/// Auth schemas are flat objects, or a `oneOf` of flat objects told apart by a `const` discriminator
/// (`method`). Switching method must drop the previous method's fields, or `additionalProperties:
/// false` would refuse the result.
public struct AuthShape: Sendable {
    /// Every field that is secret in some method.
    public let secretKeys: Set<String>
    /// Field names in the order the form shows them (shared fields first, then each method's).
    public let orderedKeys: [String]
    /// The discriminator of a `oneOf` schema (`method`), if any.
    public let discriminator: String?
    /// Fields outside the `oneOf`, present whatever the method.
    let sharedKeys: Set<String>
    /// The fields of each method, by the discriminator's value as a form writes it.
    let methodKeys: [String: Set<String>]

    init(fields: [FormField]) {
        var secrets = Set<String>()
        var ordered: [String] = []
        var shared = Set<String>()
        var methods: [String: Set<String>] = [:]
        var discriminator: String?
        func note(_ field: FormField) {
            if field.isSecret { secrets.insert(field.key) }
            if !ordered.contains(field.key) { ordered.append(field.key) }
        }
        for field in fields {
            guard case .choice(let choice) = field.kind, field.key.isEmpty else {
                note(field)
                shared.insert(field.key)
                continue
            }
            discriminator = choice.discriminator
            if let name = choice.discriminator, !ordered.contains(name) { ordered.insert(name, at: 0) }
            for option in choice.options {
                option.fields.forEach(note)
                methods[option.formValue] = Set(option.fields.map(\.key))
            }
        }
        secretKeys = secrets
        orderedKeys = ordered
        sharedKeys = shared
        methodKeys = discriminator == nil ? [:] : methods
        self.discriminator = discriminator
    }

    /// `object` without the fields of methods other than the one it selects.
    func restricted(_ object: JSONObject) -> JSONObject {
        guard let discriminator, let chosen = object[discriminator],
            let keys = methodKeys[chosen.string ?? chosen.description]
        else { return object }
        let allowed = keys.union(sharedKeys).union([discriminator])
        return JSONObject(object.filter { allowed.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// The fields a form or an API answer lists for an auth object: the shared ones and those of its
    /// method (every field when the schema has no methods).
    public func visibleKeys(for object: JSONObject) -> [String] {
        guard let discriminator else { return orderedKeys }
        let chosen = object[discriminator].map { $0.string ?? $0.description }
        let keys = chosen.flatMap { methodKeys[$0] } ?? []
        return orderedKeys.filter { $0 == discriminator || sharedKeys.contains($0) || keys.contains($0) }
    }

    public func isSecret(_ key: String) -> Bool { secretKeys.contains(key) }
}
