import Dispatch
import Synchronization

/// Serves files from one folder: content types, `ETag` and `Last-Modified` with 304 answers,
/// HEAD, and no way out of the folder (`..`, encoded dots and slashes, backslashes, NUL, dot
/// files, and symlinks that resolve outside are all refused). Small files stay in memory,
/// revalidated against size and mtime at most once a second.
public final class StaticFiles: Sendable {
    private let root: String?
    private let cacheControl: String?
    private let maxCachedFileSize: Int
    private let maxFileSize: Int
    private let cache = Mutex<[String: CacheEntry]>([:])

    private struct CacheEntry {
        var file: LoadedFile
        var checkedAt: UInt64
    }

    /// - Parameters:
    ///   - folder: the root; resolved once, so a symlinked folder works.
    ///   - cacheControl: a `Cache-Control` value to send, if any.
    ///   - maxCachedFileSize: files up to this size are kept in memory.
    ///   - maxFileSize: larger files are not served.
    public init(
        folder: String, cacheControl: String? = nil, maxCachedFileSize: Int = 512 * 1024,
        maxFileSize: Int = 64 << 20
    ) {
        root = FileLoader.realPath(folder)
        self.cacheControl = cacheControl
        self.maxCachedFileSize = maxCachedFileSize
        self.maxFileSize = maxFileSize
    }

    /// The response for `rawPath` (percent-encoded, relative to the folder, e.g. from the
    /// request's target with a prefix removed), or nil when there is no such file or the path
    /// is refused.
    public func response(for request: HTTPRequest, rawPath: Substring) async -> HTTPResponse? {
        guard let root, let relative = Self.safeRelativePath(rawPath) else { return nil }
        guard let file = await load(root: root, relativePath: relative) else { return nil }
        var headers: HTTPHeaders = ["ETag": file.etag, "Last-Modified": file.lastModified]
        if let cacheControl { headers["Cache-Control"] = cacheControl }
        if Self.isNotModified(request, file) { return HTTPResponse(status: .notModified, headers: headers) }
        headers["Content-Type"] = file.contentType
        return HTTPResponse(status: .ok, headers: headers, body: file.body)
    }

    /// Decodes each segment and refuses any that could leave the folder or name a hidden file.
    static func safeRelativePath(_ rawPath: Substring) -> String? {
        var segments: [String] = []
        for piece in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = PercentEncoding.decode(String(piece)), !segment.isEmpty,
                !segment.hasPrefix("."),
                !segment.utf8.contains(where: { $0 == ASCII.slash || $0 == 0x5C || $0 == 0 })
            else { return nil }
            segments.append(segment)
        }
        return segments.joined(separator: "/")
    }

    private static func isNotModified(_ request: HTTPRequest, _ file: LoadedFile) -> Bool {
        if let tags = request.headers["If-None-Match"] {
            return tags.split(separator: ",").contains { tag in
                let trimmed = tag.trimmingSpaces()
                return trimmed == "*" || trimmed == file.etag[...] || trimmed == "W/" + file.etag
            }
        }
        if let since = request.headers["If-Modified-Since"], let seconds = HTTPDate.parse(since) {
            return file.modifiedSeconds <= seconds
        }
        return false
    }

    private func load(root: String, relativePath: String) async -> LoadedFile? {
        let now = monotonicMilliseconds()
        let cached = cache.withLock { $0[relativePath] }
        if let cached, now &- cached.checkedAt < 1000 { return cached.file }
        let maxFileSize = self.maxFileSize
        let result: (LoadedFile?, Bool) = await withCheckedContinuation { continuation in
            // File system calls block; keep them off the event loops.
            DispatchQueue.global().async {
                if let cached, let stamp = FileLoader.stamp(root: root, relativePath: relativePath),
                    stamp.size == cached.file.size, stamp.modified == cached.file.modifiedNanoseconds
                {
                    continuation.resume(returning: (cached.file, true))
                    return
                }
                let file = FileLoader.load(root: root, relativePath: relativePath, maxSize: maxFileSize)
                continuation.resume(returning: (file, false))
            }
        }
        cache.withLock { cache in
            if let file = result.0, file.size <= maxCachedFileSize {
                cache[relativePath] = CacheEntry(file: file, checkedAt: now)
            } else {
                cache[relativePath] = nil
            }
        }
        return result.0
    }
}

/// Serves GET and HEAD requests under `urlPrefix` from a folder; anything else (and any path
/// with no file) goes on to the next responder.
public struct FileMiddleware<Context: RequestContext>: Middleware {
    private let files: StaticFiles
    private let urlPrefix: String

    public init(files: StaticFiles, urlPrefix: String = "/") {
        self.files = files
        self.urlPrefix = urlPrefix.hasSuffix("/") ? urlPrefix : urlPrefix + "/"
    }

    public init(folder: String, urlPrefix: String = "/", cacheControl: String? = nil) {
        self.init(files: StaticFiles(folder: folder, cacheControl: cacheControl), urlPrefix: urlPrefix)
    }

    public func handle(
        _ request: HTTPRequest, context: Context,
        next: (HTTPRequest, Context) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard request.method == .get || request.method == .head, request.rawPath.hasPrefix(urlPrefix),
            let response = await files.response(
                for: request, rawPath: request.rawPath.dropFirst(urlPrefix.count))
        else { return try await next(request, context) }
        return response
    }
}
