/// Short, stable, non-reversible fingerprints of secret values, e.g. to show "the API key ending
/// differently than before" or to find duplicates without storing or decrypting the value.
///
/// A fingerprint is `hmac-sha256:` followed by the first 12 hex characters (48 bits) of
/// HMAC-SHA256(key, value). Because the key stays on the server, a fingerprint cannot be
/// brute-forced offline the way a plain hash of a low-entropy secret could; because it is
/// truncated, it identifies a value but is not an integrity check.
public struct Fingerprinter: Sendable, CustomStringConvertible {
    /// Text put in front of every fingerprint, naming the scheme.
    public static let prefix = "hmac-sha256:"
    /// Number of hex characters kept from the MAC.
    public static let hexLength = 12

    private let key: SecretKey

    /// A fingerprinter under `key`; use a dedicated key of at least 32 random bytes.
    public init(key: SecretKey) throws {
        guard key.byteCount >= 16 else {
            throw SecretsError.invalidParameter("a fingerprint key needs at least 16 bytes")
        }
        self.key = key
    }

    /// A fingerprinter for one tenant, keyed by HMAC(installationKey, label ‖ tenantID), so the same
    /// secret gets unrelated fingerprints in different tenants.
    public static func forTenant(_ tenantID: String, installationKey: SecretKey) throws -> Fingerprinter {
        let info = AssociatedData.make("patchbay.fingerprint.v1", tenantID)
        var derived = try HMACSHA256.authenticationCode(for: info, key: installationKey)
        defer { SecretBytes.cleanse(&derived) }
        return try Fingerprinter(key: SecretKey(bytes: derived))
    }

    /// The fingerprint of `value` (strings are taken as UTF-8).
    public func fingerprint(of value: some ContiguousBytesView) throws -> String {
        let mac = try HMACSHA256.authenticationCode(for: value, key: key)
        return Self.prefix + Hex.encode(mac.prefix(Self.hexLength / 2))
    }

    /// Whether `value` has the given fingerprint, compared in constant time.
    public func matches(_ value: some ContiguousBytesView, fingerprint: String) throws -> Bool {
        ConstantTime.equals(try self.fingerprint(of: value), fingerprint)
    }

    public var description: String { "Fingerprinter(key: redacted)" }
}
