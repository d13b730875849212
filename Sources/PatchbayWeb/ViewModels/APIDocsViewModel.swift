import Foundation
import JSON
import Templating

/// The `/api/docs` page, read from the OpenAPI document itself (so the page and the document cannot
/// disagree): operations grouped by tag, each with its method, path, summary, required role,
/// parameters, request and responses; then every schema the operations refer to.
enum APIDocsViewModel {
    static func make(_ document: JSON) -> TemplateValue {
        var operations: [String: [TemplateValue]] = [:]
        let errors = document["components"]?["responses"]?.object ?? [:]
        for (path, item) in document["paths"]?.object ?? [:] {
            for (method, operation) in item.object ?? [:] {
                let tag = operation["tags"]?[0]?.string ?? "Other"
                operations[tag, default: []].append(self.operation(method, path, operation, errors: errors))
            }
        }
        let tags = (document["tags"]?.array ?? []).compactMap { tag -> TemplateValue? in
            guard let name = tag["name"]?.string, let items = operations[name], !items.isEmpty else {
                return nil
            }
            return [
                "name": .string(name), "anchor": .string("tag-" + anchor(name)),
                "description": .string(tag["description"]?.string ?? ""), "operations": .list(items),
            ]
        }
        let schemas = (document["components"]?["schemas"]?.object ?? [:]).map {
            name, schema -> TemplateValue in
            ["name": .string(name), "anchor": .string("schema-" + name), "json": .string(pretty(schema))]
        }
        return [
            "title": .string(document["info"]?["title"]?.string ?? "API"),
            "introduction": inline(document["info"]?["description"]?.string ?? ""),
            "tags": .list(tags), "schemas": .list(schemas),
        ]
    }

    private static func operation(_ method: String, _ path: String, _ operation: JSON, errors: JSONObject)
        -> TemplateValue
    {
        let parameters = (operation["parameters"]?.array ?? []).map { parameter -> TemplateValue in
            [
                "name": .string(parameter["name"]?.string ?? ""),
                "in": .string(parameter["in"]?.string ?? ""),
                "required": .bool(parameter["required"]?.bool ?? false),
                "type": .string(typeText(parameter["schema"] ?? [:])),
                "description": inline(parameter["description"]?.string ?? ""),
            ]
        }
        let responses = (operation["responses"]?.object ?? [:]).map { status, listed -> TemplateValue in
            let name = listed["$ref"]?.string.map(lastComponent)
            let response = name.flatMap { errors[$0] } ?? listed
            return [
                "status": .string(status), "status_class": .string(String(status.prefix(1)) + "xx"),
                "error_name": name.map(TemplateValue.string) ?? .null,
                "description": inline(response["description"]?.string ?? ""),
                "schema": schema(response["content"]?["application/json"]?["schema"]),
            ]
        }
        let body = operation["requestBody"]
        let description = operation["description"]?.string ?? ""
        return [
            "method": .string(method.uppercased()), "method_class": .string(method),
            "path": .string(path),
            "anchor": .string(operation["operationId"]?.string ?? anchor(method + path)),
            "summary": .string(operation["summary"]?.string ?? ""),
            "description": inline(description), "has_description": .bool(!description.isEmpty),
            "role": .string(operation["x-required-role"]?.string ?? "public"),
            "parameters": .list(parameters), "has_parameters": .bool(!parameters.isEmpty),
            "request": body.map { body -> TemplateValue in
                [
                    "required": .bool(body["required"]?.bool ?? false),
                    "schema": schema(body["content"]?["application/json"]?["schema"]),
                ]
            } ?? .null,
            "responses": .list(responses),
        ]
    }

    /// Markdown-ish text as parts a template can escape: `code` spans become `{"text", "code": true}`
    /// (rendered as `<code>`), `**` emphasis is dropped. Empty text gives an empty (falsy) list.
    static func inline(_ text: String) -> TemplateValue {
        let pieces = text.replacingOccurrences(of: "**", with: "").split(
            separator: "`", omittingEmptySubsequences: false)
        return .list(
            pieces.enumerated().compactMap { index, piece -> TemplateValue? in
                piece.isEmpty ? nil : ["text": .string(String(piece)), "code": .bool(index % 2 == 1)]
            })
    }

    /// A schema as the page shows it: a link to a named schema, or its JSON.
    private static func schema(_ schema: JSON?) -> TemplateValue {
        guard let schema else { return .null }
        if let reference = schema["$ref"]?.string, schema.object?.count == 1 {
            let name = lastComponent(reference)
            return ["ref": .string(name), "anchor": .string("schema-" + name)]
        }
        return ["json": .string(pretty(schema))]
    }

    /// `integer 1–500`, `string (uuid)`, `one of: active, inactive`.
    static func typeText(_ schema: JSON) -> String {
        if let values = schema["enum"]?.array {
            return "one of: " + values.compactMap(\.string).joined(separator: ", ")
        }
        var text =
            schema["type"]?.string ?? schema["type"]?.array?.compactMap(\.string).joined(separator: " or ")
            ?? "any"
        if let format = schema["format"]?.string { text += " (\(format))" }
        if let minimum = schema["minimum"]?.int64, let maximum = schema["maximum"]?.int64,
            maximum < Int64.max
        {
            text += " \(minimum)–\(maximum)"
        }
        return text
    }

    private static func pretty(_ json: JSON) -> String { json.serializedString(options: [.prettyPrinted]) }

    private static func lastComponent(_ reference: String) -> String {
        String(reference.split(separator: "/").last ?? "")
    }

    private static func anchor(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
