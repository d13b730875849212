import Foundation
import HTTPServer
import JSON
import Patchbay

/// Execute, replay and chain requests in, executions out. Every problem with a body is collected
/// into one 422 with a per-field map (`input`, `connectors[1]`), not reported one at a time.
enum ExecutionJSON {
    /// `{input, contact, workspace}`, each an optional object; an empty body runs with none.
    static func values(_ request: HTTPRequest) throws -> ExecutionRequest {
        let body = request.body.isEmpty ? [:] : try APIBody.object(request)
        var problems: [String: [String]] = [:]
        let values = values(body, &problems)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return values
    }

    /// `{connectors: [id, ...], input, contact, workspace}`.
    static func chain(_ request: HTTPRequest) throws -> ChainRequest {
        let body = try APIBody.object(request)
        var problems: [String: [String]] = [:]
        var ids: [UUID] = []
        switch body["connectors"] {
        case nil, .null?:
            problems["connectors"] = ["is required: a list of connector ids, run in order"]
        case .array(let items)?:
            if items.isEmpty { problems["connectors"] = ["must list at least one connector"] }
            if items.count > ChainRequest.maxConnectors {
                problems["connectors"] = ["may list at most \(ChainRequest.maxConnectors) connectors"]
            }
            for (position, item) in items.enumerated() {
                guard let id = item.string.flatMap(UUID.init(uuidString:)) else {
                    problems["connectors[\(position)]"] = ["must be a connector id"]
                    continue
                }
                ids.append(id)
            }
        default:
            problems["connectors"] = ["must be a list of connector ids"]
        }
        let values = values(body, &problems)
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return ChainRequest(connectorIDs: ids, values: values)
    }

    private static func values(_ body: JSONObject, _ problems: inout [String: [String]]) -> ExecutionRequest {
        var values = ExecutionRequest()
        for key in ["input", "contact", "workspace"] {
            switch body[key] {
            case nil, .null?: continue
            case .object(let object)?:
                switch key {
                case "input": values.input = .object(object)
                case "contact": values.contact = .object(object)
                default: values.workspace = .object(object)
                }
            default:
                problems[key] = ["must be an object"]
            }
        }
        return values
    }

    /// `?async=true` queues the run; absent or `false` runs it in the request.
    static func mode(_ request: HTTPRequest) throws -> ExecutionMode {
        switch request.query["async"]?.lowercased() {
        case nil, "", "false", "0": .sync
        case "true", "1": .async
        default: throw AppError.validation(["async": ["must be true or false"]])
        }
    }

    /// `?limit=` (1–100, default 25) and `?before=` (a `next_cursor` from an earlier page).
    static func paging(_ request: HTTPRequest) throws -> (limit: Int, before: ExecutionCursor?) {
        var problems: [String: [String]] = [:]
        var limit = 25
        if let text = request.query["limit"] {
            if let number = Int(text), (1...100).contains(number) {
                limit = number
            } else {
                problems["limit"] = ["must be a whole number from 1 to 100"]
            }
        }
        var before: ExecutionCursor?
        if let text = request.query["before"], !text.isEmpty {
            before = ExecutionCursor(text)
            if before == nil { problems["before"] = ["is not a cursor this API returned"] }
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return (limit, before)
    }

    /// `{items: [summary, ...], next_cursor}`.
    static func page(_ page: ExecutionPage) -> JSON {
        [
            "items": .array(page.executions.map { $0.json() }),
            "next_cursor": page.next.map { .string($0.description) } ?? .null,
        ]
    }
}

extension HTTPRequest {
    /// The `{execution_id}` path parameter; anything but a UUID cannot name an execution.
    func executionID() throws -> UUID {
        guard let id = parameters["execution_id"].flatMap(UUID.init(uuidString:)) else {
            throw AppError.notFound("The execution")
        }
        return id
    }
}
