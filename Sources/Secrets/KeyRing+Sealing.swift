extension KeyRing {
    /// Seals `plaintext` (strings as UTF-8) with the current data key.
    public func seal(_ plaintext: some ContiguousBytesView, authenticating associatedData: [UInt8]) throws
        -> Ciphertext
    {
        try seal(plaintext, with: currentKey(), authenticating: associatedData)
    }

    /// Seals `plaintext` with a specific loaded version.
    public func seal(
        _ plaintext: some ContiguousBytesView, version: UInt32, authenticating associatedData: [UInt8]
    )
        throws -> Ciphertext
    {
        try seal(plaintext, with: key(version: version), authenticating: associatedData)
    }

    private func seal(_ plaintext: some ContiguousBytesView, with key: DataKey, authenticating aad: [UInt8])
        throws
        -> Ciphertext
    {
        let header = Ciphertext.header(keyVersion: key.version)
        let box = try AESGCM.seal(plaintext, using: key.key, authenticating: header + aad)
        return Ciphertext(keyVersion: key.version, box: box)
    }

    /// Opens `ciphertext`. Throws `unknownKeyVersion(n)` if its key is not loaded, and
    /// `authenticationFailed` if it was altered or `associatedData` differs from sealing time.
    public func open(_ ciphertext: Ciphertext, authenticating associatedData: [UInt8]) throws -> [UInt8] {
        let key = try key(version: ciphertext.keyVersion)
        return try AESGCM.open(
            ciphertext.box, using: key.key, authenticating: ciphertext.header + associatedData)
    }

    /// Opens `ciphertext` and decodes it as UTF-8 text.
    public func openString(_ ciphertext: Ciphertext, authenticating associatedData: [UInt8]) throws -> String
    {
        var bytes = try open(ciphertext, authenticating: associatedData)
        defer { SecretBytes.cleanse(&bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw SecretsError.invalidUTF8 }
        return text
    }

    /// Re-encrypts `ciphertext` under `version` (default: the current one), e.g. after adding a new
    /// data key. Pass `newAssociatedData` when the caller's AAD itself changes (say it names the key
    /// version); otherwise the same AAD is used.
    public func reencrypt(
        _ ciphertext: Ciphertext, authenticating associatedData: [UInt8], newAssociatedData: [UInt8]? = nil,
        toVersion version: UInt32? = nil
    ) throws -> Ciphertext {
        var plaintext = try open(ciphertext, authenticating: associatedData)
        defer { SecretBytes.cleanse(&plaintext) }
        let target = try version.map { try key(version: $0) } ?? currentKey()
        return try seal(plaintext, with: target, authenticating: newAssociatedData ?? associatedData)
    }
}
