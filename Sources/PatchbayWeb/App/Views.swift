import HTTPServer
import Logging
import Templating

/// The compiled templates, and the one way handlers turn a view model into HTML.
///
/// Templates compile once at start-up; a syntax error or a missing partial stops the server before it
/// listens. With `PATCHBAY_DEV=1` each render first picks up edited files.
public final class Views: Sendable {
    let library: TemplateLibrary
    let reloadsOnChange: Bool
    let logger: Logger

    public init(directory: String, reloadsOnChange: Bool, logger: Logger) throws {
        library = try TemplateLibrary(directory: directory)
        self.reloadsOnChange = reloadsOnChange
        self.logger = logger
    }

    func has(_ name: String) -> Bool { library.hasTemplate(named: name) }

    /// Renders a full page, or, for the HTMX client, only the fragment it targets.
    ///
    /// `fragments` maps an `HX-Target` id to the partial that renders that element's inside; the
    /// partial gets the same view model as the page. An HTMX request for another target gets the
    /// page's `content` block; history restores and boosted links get the full page.
    func page(
        _ name: String, _ value: TemplateValue, request: HTTPRequest, status: HTTPStatus = .ok,
        fragments: [String: String] = [:]
    ) throws -> HTTPResponse {
        reloadIfAsked()
        let bytes: [UInt8]
        if request.wantsFragment {
            if let target = request.headers["HX-Target"], let partial = fragments[target] {
                bytes = try library.render(partial, value)
            } else {
                bytes = try library.render(name, block: "content", value)
            }
        } else {
            bytes = try library.render(name, value)
        }
        return Self.html(bytes, status: status)
    }

    /// Renders a partial to bytes, for callers that keep the result.
    func render(_ name: String, _ value: TemplateValue) throws -> [UInt8] {
        reloadIfAsked()
        return try library.render(name, value)
    }

    /// Renders a fragment (a partial template) on its own.
    func fragment(_ name: String, _ value: TemplateValue, status: HTTPStatus = .ok) throws -> HTTPResponse {
        reloadIfAsked()
        return Self.html(try library.render(name, value), status: status)
    }

    private func reloadIfAsked() {
        guard reloadsOnChange else { return }
        do {
            _ = try library.reloadIfChanged()
        } catch {
            logger.error(
                "template reload failed; keeping the previous templates", metadata: ["error": "\(error)"])
        }
    }

    static func html(_ bytes: [UInt8], status: HTTPStatus) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: bytes)
        response.headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        response.headers.add(name: "Cache-Control", value: "no-store")
        response.headers.add(name: "Vary", value: "HX-Request, HX-Target")
        return response
    }
}

extension HTTPRequest {
    /// True for requests sent by the HTMX-protocol client, which expect a fragment, not a page.
    public var isHTMX: Bool { headers["HX-Request"] == "true" }

    /// An HTMX request that swaps part of the page (not a history restore or a boosted link).
    var wantsFragment: Bool {
        isHTMX && headers["HX-History-Restore-Request"] != "true" && headers["HX-Boosted"] != "true"
    }
}
