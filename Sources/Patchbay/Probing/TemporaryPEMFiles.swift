import Glibc

/// A private folder for the certificates and keys libpq only takes as file names, removed after
/// the test. Files are created `0600` inside a `0700` folder (made on the first write), so other
/// local users never read a key.
final class TemporaryPEMFiles {
    private var directory: String?
    private var files: [String] = []

    init() {}

    deinit { remove() }

    /// Writes `contents` to a new file called `name`; returns its path.
    func write(_ contents: String, as name: String) throws(SetupProblem) -> String {
        let path = try folder() + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SetupProblem(message: "The certificate file \(name) could not be written.")
        }
        defer { close(fd) }
        files.append(path)
        let bytes = Array(contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw SetupProblem(message: "The certificate file \(name) could not be written.")
            }
            offset += written
        }
        return path
    }

    /// Deletes every file and the folder; safe to call twice.
    func remove() {
        for file in files { unlink(file) }
        files.removeAll()
        if let directory { rmdir(directory) }
        directory = nil
    }

    private func folder() throws(SetupProblem) -> String {
        if let directory { return directory }
        var template = Array("/tmp/patchbay-probe-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SetupProblem(message: "A temporary folder for the certificates could not be created.")
        }
        let path = String(cString: made)
        directory = path
        return path
    }
}
