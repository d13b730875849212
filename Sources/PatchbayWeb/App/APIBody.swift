import HTTPServer
import JSON
import Patchbay

/// Reading JSON request bodies with errors a client can act on.
enum APIBody {
    static let maxDepth = 32

    static func json(_ request: HTTPRequest) throws -> JSON {
        if let type = request.headers["Content-Type"], !type.lowercased().hasPrefix("application/json") {
            throw AppError(.badRequest, "Send the body as application/json.")
        }
        guard !request.body.isEmpty else {
            throw AppError(.badRequest, "The request body is empty; send a JSON object.")
        }
        do {
            return try JSON(parsing: request.body, maxDepth: maxDepth)
        } catch {
            throw AppError(.badRequest, "The body is not valid JSON: \(error.description).")
        }
    }

    static func object(_ request: HTTPRequest) throws -> JSONObject {
        guard case .object(let object) = try json(request) else {
            throw AppError(.badRequest, "The body must be a JSON object.")
        }
        return object
    }
}
