import HTTPServer
import JSON

/// What keeps the contract and the router in step; the contract tests assert this list is empty.
extension APIContract {
    /// Every gap between `routes` (the router's table) and `operations`: an `/api/v1` route without an
    /// entry, a success response without a schema, a `POST`/`PUT`/`PATCH` that does not say what body it
    /// takes, an entry without a route, a link to an operation that does not exist, an unknown tag.
    static func problems(routes: [RouteDescription], operations: [String: APIOperation] = operations)
        -> [String]
    {
        let apiRoutes = routes.filter { OpenAPIDocument.isAPI($0.pattern) && $0.method != .head }
        let routeKeys = Set(apiRoutes.map(OpenAPIDocument.key))
        let tagNames = Set(tags.map(\.name))
        var problems: [String] = []
        for key in apiRoutes.map(OpenAPIDocument.key) {
            guard let operation = operations[key] else {
                problems.append("\(key) has no entry in APIContract")
                continue
            }
            if !tagNames.contains(operation.tag) {
                problems.append("\(key) has the unknown tag \(operation.tag)")
            }
            if !operation.responses.contains(where: { (200..<300).contains($0.status) }) {
                problems.append("\(key) documents no success response")
            }
            for response in operation.responses
            where response.schema == nil && ![204, 304].contains(response.status) {
                problems.append("\(key) documents no schema for its \(response.status) response")
            }
            if ["POST", "PUT", "PATCH"].contains(key.prefix { $0 != " " }) && operation.body == nil {
                problems.append("\(key) does not say what body it takes (a schema, or `.none`)")
            }
            for link in operation.responses.flatMap(\.links) where operations[link.operation] == nil {
                problems.append("\(key) links to \(link.operation), which is not in the contract")
            }
        }
        for key in operations.keys.sorted() where !routeKeys.contains(key) {
            problems.append("\(key) is in APIContract but no route serves it")
        }
        return problems
    }

    /// Keys that more than one table defines (the merge would silently keep the first).
    static var duplicateKeys: [String] {
        let operationKeys = operationTables.flatMap(\.keys)
        let schemaKeys = schemaTables.flatMap(\.keys)
        return
            (Dictionary(grouping: operationKeys + schemaKeys, by: { $0 }).filter { $0.value.count > 1 }.keys)
            .sorted()
    }
}
