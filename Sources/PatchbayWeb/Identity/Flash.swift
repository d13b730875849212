import HTTPServer
import JSON
import Templating

/// A toast shown on the next page after a redirect, carried in a short-lived cookie (nodes keep no
/// state). Messages are always the server's own text; templates escape them anyway.
struct Flash: Sendable {
    var message: String
    /// `info`, `success` or `error`.
    var level: String

    var templateValue: TemplateValue {
        ["message": .string(message), "level": .string(level), "is_error": .bool(level == "error")]
    }

    func store(on response: inout HTTPResponse, web: WebSettings) {
        web.setCookie(
            web.flashCookie, PercentEncoding.encode(level + ":" + message), maxAge: 60, on: &response)
    }

    static func read(_ request: HTTPRequest, web: WebSettings) -> [Flash] {
        guard let raw = request.cookies[web.flashCookie], !raw.isEmpty,
            let text = PercentEncoding.decode(raw), let colon = text.firstIndex(of: ":")
        else { return [] }
        let level = String(text[..<colon])
        guard ["info", "success", "error"].contains(level) else { return [] }
        return [Flash(message: String(text[text.index(after: colon)...].prefix(300)), level: level)]
    }

    /// The `HX-Trigger` value that makes app.js show a toast.
    static func toastTrigger(_ message: String, level: String) -> String {
        asciiOnly(
            JSON.object(["showToast": .object(["message": .string(message), "level": .string(level)])])
                .serializedString())
    }

    /// Header values travel as bytes browsers read as Latin-1: write every non-ASCII character as a
    /// JSON `\uXXXX` escape (surrogate pairs above U+FFFF) so “quotes” arrive intact.
    static func asciiOnly(_ json: String) -> String {
        var output = ""
        for unit in json.utf16 {
            if unit < 0x80 {
                output.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            } else {
                let hex = String(unit, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return output
    }
}
