import Glibc

extension MasterKey {
    /// Reads the key file at `path`, or creates it (mode 0600, a new random key in base64) if it does
    /// not exist. A file that group or others can access is refused rather than trusted.
    public static func loadOrCreate(keyFile path: String) throws -> MasterKey {
        if let key = try readIfPresent(keyFile: path) { return key }
        let key = try generate()
        if try create(keyFile: path, contents: key.exportBase64() + "\n") { return key }
        // Another process created it between our read and create: use theirs.
        guard let existing = try readIfPresent(keyFile: path) else {
            throw SecretsError.keyFile(path: path, reason: "disappeared while being created")
        }
        return existing
    }

    /// Reads the key file at `path`; nil if it does not exist.
    public static func readIfPresent(keyFile path: String) throws -> MasterKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw SecretsError.keyFile(path: path, reason: "cannot open: \(errorText(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SecretsError.keyFile(path: path, reason: "cannot stat: \(errorText(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecretsError.keyFile(path: path, reason: "is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SecretsError.insecureKeyFile(path: path, mode: info.st_mode)
        }

        // Base64 of 32 bytes is 44 characters; anything much longer is not a key file.
        var buffer = [UInt8](repeating: 0, count: 1024)
        defer { SecretBytes.cleanse(&buffer) }
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes {
                Glibc.read(fd, $0.baseAddress! + total, $0.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecretsError.keyFile(path: path, reason: "cannot read: \(errorText(errno))")
            }
            if count == 0 { break }
            total += count
        }
        guard total < buffer.count else { throw SecretsError.keyFile(path: path, reason: "is too large") }
        guard let text = String(validating: buffer[..<total], as: UTF8.self) else {
            throw SecretsError.invalidMasterKey(source: "key file \(path)", reason: "not valid base64")
        }
        return try MasterKey(base64Encoded: text, source: "key file \(path)")
    }

    /// Writes a new key file; returns false if a file already exists at `path`.
    private static func create(keyFile path: String, contents: String) throws -> Bool {
        // O_EXCL: never overwrite a key that appeared meanwhile; O_NOFOLLOW: never write through a
        // planted symlink.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return false }
            throw SecretsError.keyFile(path: path, reason: "cannot create: \(errorText(code))")
        }
        var written = false
        defer {
            close(fd)
            if !written { unlink(path) }
        }
        // The umask may only clear bits, but make the mode explicit anyway.
        guard fchmod(fd, 0o600) == 0 else {
            throw SecretsError.keyFile(path: path, reason: "cannot set mode 0600: \(errorText(errno))")
        }
        var bytes = Array(contents.utf8)
        defer { SecretBytes.cleanse(&bytes) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecretsError.keyFile(path: path, reason: "cannot write: \(errorText(errno))")
            }
            offset += count
        }
        guard fsync(fd) == 0 else {
            throw SecretsError.keyFile(path: path, reason: "cannot sync: \(errorText(errno))")
        }
        written = true
        return true
    }
}

private func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
