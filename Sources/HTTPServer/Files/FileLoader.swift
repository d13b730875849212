#if canImport(Glibc)
    import Glibc
#endif

/// A file read from the static folder, with what conditional requests need.
struct LoadedFile: Sendable {
    var body: [UInt8]
    var contentType: String
    var etag: String
    var modifiedSeconds: Int
    var lastModified: String
    /// For cache revalidation.
    var size: Int
    var modifiedNanoseconds: Int
}

/// The blocking part of serving a file: resolve it inside the root (symlinks included) and read
/// it. Runs off the event loops.
enum FileLoader {
    /// The canonical path, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Loads `relativePath` (already checked to hold only plain segments) under `root`, which is
    /// canonical. Returns nil when the file is missing, not a regular file, too large, or
    /// resolves (through a symlink) to somewhere outside `root`.
    static func load(root: String, relativePath: String, maxSize: Int) -> LoadedFile? {
        var candidate = relativePath.isEmpty ? root : root + "/" + relativePath
        var info = stat()
        guard var resolved = realPath(candidate), isInside(resolved, root: root), stat(resolved, &info) == 0
        else { return nil }
        if info.st_mode & S_IFMT == S_IFDIR {
            candidate = resolved + "/index.html"
            guard let index = realPath(candidate), isInside(index, root: root), stat(index, &info) == 0 else {
                return nil
            }
            resolved = index
        }
        guard info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxSize,
            let body = readAll(resolved, expectedSize: Int(info.st_size))
        else { return nil }
        let seconds = Int(info.st_mtim.tv_sec)
        let nanoseconds = seconds * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        return LoadedFile(
            body: body, contentType: MediaType.forPath(resolved),
            etag: "\"\(String(body.count, radix: 16))-\(String(nanoseconds, radix: 16))\"",
            modifiedSeconds: seconds, lastModified: HTTPDate.format(seconds), size: Int(info.st_size),
            modifiedNanoseconds: nanoseconds)
    }

    /// Size and modification time, to tell whether a cached copy is still current.
    static func stamp(root: String, relativePath: String) -> (size: Int, modified: Int)? {
        let path = relativePath.isEmpty ? root + "/index.html" : root + "/" + relativePath
        var info = stat()
        guard let resolved = realPath(path), isInside(resolved, root: root), stat(resolved, &info) == 0 else {
            return nil
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard let index = realPath(resolved + "/index.html"), stat(index, &info) == 0 else { return nil }
        }
        return (Int(info.st_size), Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }

    static func isInside(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    private static func readAll(_ path: String, expectedSize: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: expectedSize)
        var total = 0
        while total < expectedSize {
            let count = bytes.withUnsafeMutableBytes {
                read(fd, $0.baseAddress! + total, expectedSize - total)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        // The file shrank while we read it: serve what is there rather than trailing zeros.
        if total < expectedSize { bytes.removeLast(expectedSize - total) }
        return bytes
    }
}
