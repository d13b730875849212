import HTTPServer
import JSON
import Patchbay

/// One operation object: the route's metadata and its contract entry, with the errors its kind implies.
extension OpenAPIDocument {
    func operation(_ route: RouteDescription) -> JSON {
        let key = Self.key(route)
        let contract = self.contract[key]
        let action = route.metadata["action"].flatMap(Action.init(rawValue:))
        var operation: JSONObject = [
            "operationId": .string(Self.operationID(key)),
            "summary": .string(route.metadata["summary"] ?? key),
            "tags": [.string(contract?.tag ?? Self.undocumentedTag)],
        ]
        var description: [String] = []
        if let action {
            description.append(Self.requirementText(action))
            operation["x-rbac-action"] = .string(action.rawValue)
            operation["x-required-role"] = .string(action.requirement.description)
            operation["security"] = [["bearerAuth": []], ["sessionCookie": []]]
        } else {
            operation["security"] = []
        }
        if let notes = contract?.notes { description.append(notes) }
        if !description.isEmpty { operation["description"] = .string(description.joined(separator: "\n\n")) }

        let parameters = self.parameters(route, contract)
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if case .json(let schema, let isRequired)? = contract?.body {
            operation["requestBody"] = [
                "required": .bool(isRequired), "content": ["application/json": ["schema": schema]],
            ]
        }
        operation["responses"] = .object(
            responses(route, contract, action: action, hasInput: !parameters.isEmpty))
        return .object(operation)
    }

    static func requirementText(_ action: Action) -> String {
        switch action.requirement {
        case .authenticated: "Any signed-in caller (RBAC action `\(action.rawValue)`)."
        case .role(let role):
            "Requires the **\(role.rawValue)** role or higher (RBAC action `\(action.rawValue)`)."
        case .superuser:
            "Platform superusers only, signed in with a session (RBAC action `\(action.rawValue)`)."
        case .roleOrAgent(let role):
            "Requires the **\(role.rawValue)** role or higher, or an API token bound to an agent, which "
                + "reaches only what is attached to that agent (RBAC action `\(action.rawValue)`)."
        }
    }

    private func parameters(_ route: RouteDescription, _ contract: APIOperation?) -> [JSON] {
        var parameters: [JSON] = []
        for segment in route.pattern.split(separator: "/")
        where segment.hasPrefix("{") && segment.hasSuffix("}") {
            let name = String(segment.dropFirst().dropLast())
            let known = APIContract.pathParameters[name] ?? APIParameter(name, ["type": "string"], name)
            parameters.append(Self.parameter(known, in: "path", isRequired: true))
        }
        for query in contract?.query ?? [] { parameters.append(Self.parameter(query, in: "query")) }
        for header in contract?.headers ?? [] { parameters.append(Self.parameter(header, in: "header")) }
        return parameters
    }

    private static func parameter(_ parameter: APIParameter, in location: String, isRequired: Bool? = nil)
        -> JSON
    {
        [
            "name": .string(parameter.name), "in": .string(location),
            "required": .bool(isRequired ?? parameter.isRequired),
            "description": .string(parameter.description), "schema": parameter.schema,
        ]
    }

    private func responses(
        _ route: RouteDescription, _ contract: APIOperation?, action: Action?, hasInput: Bool
    )
        -> JSONObject
    {
        var responses = JSONObject()
        for response in contract?.responses ?? [] {
            responses[String(response.status)] = Self.success(response)
        }
        if responses.isEmpty { responses["default"] = ["description": "Not documented yet"] }
        var errors = Set(contract?.errors ?? [])
        if action != nil {
            errors.formUnion([401, 503])
            if action?.requirement != .authenticated { errors.insert(403) }
        }
        if route.pattern.contains("{") { errors.insert(404) }
        let hasBody: Bool
        if case .json? = contract?.body { hasBody = true } else { hasBody = false }
        if hasInput || hasBody { errors.insert(400) }
        if hasBody { errors.formUnion([413, 415]) }
        for status in errors.sorted() {
            let name = Self.errorResponseNames[status] ?? "Error\(status)"
            responses[String(status)] = ["$ref": .string("#/components/responses/\(name)")]
        }
        return responses
    }

    private static func success(_ response: APIResponse) -> JSON {
        var object: JSONObject = ["description": .string(response.description)]
        if let schema = response.schema { object["content"] = ["application/json": ["schema": schema]] }
        if !response.headers.isEmpty {
            object["headers"] = .object(
                JSONObject(
                    response.headers.sorted { $0.key < $1.key }.map { name, description in
                        (name, ["description": .string(description), "schema": ["type": "string"]])
                    }))
        }
        if !response.links.isEmpty {
            object["links"] = .object(
                JSONObject(
                    response.links.map { link in
                        let parameters = link.parameters.sorted { $0.key < $1.key }.map {
                            ($0.key, JSON.string($0.value))
                        }
                        return (
                            link.name,
                            [
                                "operationId": .string(operationID(link.operation)),
                                "parameters": .object(JSONObject(parameters)),
                            ]
                        )
                    }))
        }
        return .object(object)
    }
}
