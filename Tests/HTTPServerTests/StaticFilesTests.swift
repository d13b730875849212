import Foundation
import HTTPServer
import XCTest

final class StaticFilesTests: XCTestCase {
    private var base: URL!
    private var server: HTTPServer!
    private var port = 0

    private let files: [(String, String, String)] = [
        ("index.html", "<h1>home</h1>", "text/html; charset=utf-8"),
        ("css/app.css", "body{}", "text/css; charset=utf-8"),
        ("js/app.js", "let x=1", "text/javascript; charset=utf-8"),
        ("icons/logo.svg", "<svg/>", "image/svg+xml"),
        ("img/a.png", "PNG", "image/png"),
        ("favicon.ico", "ICO", "image/x-icon"),
        ("data.json", "{}", "application/json"),
        ("fonts/f.woff2", "WOFF2", "font/woff2"),
        ("readme.txt", "read me", "text/plain; charset=utf-8"),
        ("a b.txt", "spaced", "text/plain; charset=utf-8"),
    ]

    override func setUp() async throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        let publicFolder = base.appendingPathComponent("Public")
        for (path, content, _) in files {
            let url = publicFolder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        try Data("SECRET".utf8).write(to: base.appendingPathComponent("secret.txt"))
        try Data("SECRET".utf8).write(to: publicFolder.appendingPathComponent(".env"))
        try FileManager.default.createSymbolicLink(
            at: publicFolder.appendingPathComponent("escape.txt"),
            withDestinationURL: base.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            at: publicFolder.appendingPathComponent("escape-dir"), withDestinationURL: base)
        try FileManager.default.createSymbolicLink(
            at: publicFolder.appendingPathComponent("alias.txt"),
            withDestinationURL: publicFolder.appendingPathComponent("readme.txt"))
        let folder = publicFolder.path
        (server, port) = try await makeTestServer { router in
            router.add(middleware: FileMiddleware(folder: folder, cacheControl: "no-cache"))
            router.get("/healthz") { _, _ in .text("ok") }
        }
    }

    override func tearDown() async throws {
        await server.shutdown()
        try? FileManager.default.removeItem(at: base)
    }

    func testContentTypesAndBodies() throws {
        for (path, content, type) in files {
            let encoded = path.replacingOccurrences(of: " ", with: "%20")
            let response = try get(port: port, "/" + encoded)
            XCTAssertEqual(response.status, 200, path)
            XCTAssertEqual(response.text, content, path)
            XCTAssertEqual(response.header("Content-Type"), type, path)
            XCTAssertEqual(response.header("Cache-Control"), "no-cache")
        }
        XCTAssertEqual(try get(port: port, "/").text, "<h1>home</h1>")
        XCTAssertEqual(try get(port: port, "/alias.txt").text, "read me", "symlinks inside the folder work")
        XCTAssertEqual(try get(port: port, "/healthz").text, "ok", "non-files fall through to routes")
    }

    func testConditionalRequestsAndHead() throws {
        let first = try get(port: port, "/css/app.css")
        let etag = try XCTUnwrap(first.header("ETag"))
        let modified = try XCTUnwrap(first.header("Last-Modified"))
        XCTAssertEqual(try get(port: port, "/css/app.css", headers: "If-None-Match: \(etag)\r\n").status, 304)
        XCTAssertEqual(
            try get(port: port, "/css/app.css", headers: "If-None-Match: \"x\", \(etag)\r\n").status, 304)
        XCTAssertEqual(
            try get(port: port, "/css/app.css", headers: "If-None-Match: \"other\"\r\n").status, 200)
        XCTAssertEqual(
            try get(port: port, "/css/app.css", headers: "If-Modified-Since: \(modified)\r\n").status, 304)
        XCTAssertEqual(
            try get(
                port: port, "/css/app.css", headers: "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n"
            ).status,
            200)
        let head = try fetch(port: port, "HEAD /css/app.css HTTP/1.1\r\nHost: h\r\n\r\n", head: true)
        XCTAssertEqual(head.header("Content-Length"), "6")
        XCTAssertEqual(head.header("ETag"), etag)
    }

    func testChangedFilesAreServedFresh() async throws {
        XCTAssertEqual(try get(port: port, "/readme.txt").text, "read me")
        try await Task.sleep(for: .milliseconds(1100))
        try Data("changed!".utf8).write(to: base.appendingPathComponent("Public/readme.txt"))
        XCTAssertEqual(try get(port: port, "/readme.txt").text, "changed!")
    }

    func testNoWayOutOfTheFolder() throws {
        let attempts = [
            "/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt", "/..%5csecret.txt", "/css/..%2f..%2fsecret.txt", "/%2fetc%2fpasswd",
            "//etc/passwd", "/escape.txt", "/escape-dir/secret.txt", "/.env", "/%2eenv", "/readme.txt%00",
            "/css%5c..%5c..%5csecret.txt", "/./readme.txt/../../secret.txt",
        ]
        for attempt in attempts {
            let response = try get(port: port, attempt)
            XCTAssertTrue([400, 404].contains(response.status), "\(attempt) → \(response.status)")
            XCTAssertFalse(response.text.contains("SECRET"), attempt)
        }
    }
}
