import HTTPServer
import JSON
import Logging
import Patchbay
import Postgres

/// The one place where errors become responses. API requests get the JSON error shape; everything
/// else gets the error page. Unexpected errors are logged with the request id and answered with a
/// generic message: their text may hold internals a client must not see.
struct ErrorMiddleware: Middleware {
    let pages: ErrorPages

    func handle(
        _ request: HTTPRequest, context: PatchbayContext,
        next: (HTTPRequest, PatchbayContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            var response = try await next(request, context)
            if response.status.code == 404 || response.status.code == 405, response.body.count < 64 {
                // The router's own plain answers: dress them like every other error.
                let allow = response.headers["Allow"]
                let kind: AppError.Kind = response.status.code == 404 ? .notFound : .badRequest
                let message =
                    response.status.code == 404 ? "Nothing lives at this address." : "Method not allowed."
                response = render(AppError(kind, message), status: response.status, request, context)
                if let allow { response.headers.add(name: "Allow", value: allow) }
            }
            return response
        } catch let error as AppError {
            var response = render(error, status: Self.status(of: error.kind), request, context)
            if let seconds = error.retryAfterSeconds {
                response.headers.add(name: "Retry-After", value: String(seconds))
            }
            return response
        } catch let error as PostgresError where error.isConnectionError || error.kind == .poolTimeout {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            let appError = AppError(.unavailable, "The database is unavailable right now. Try again shortly.")
            var response = render(appError, status: .serviceUnavailable, request, context)
            response.headers.add(name: "Retry-After", value: "2")
            return response
        } catch {
            context.logger.error(
                "unhandled error", metadata: ["error": "\(error)", "path": "\(request.path)"])
            let appError = AppError(.internal, "Something went wrong on our side.")
            return render(appError, status: .internalServerError, request, context)
        }
    }

    private func render(
        _ error: AppError, status: HTTPStatus, _ request: HTTPRequest, _ context: PatchbayContext
    ) -> HTTPResponse {
        if Self.wantsJSON(request) {
            return .json(Self.jsonBody(error, requestID: context.requestID), status: status)
        }
        return pages.render(error, status: status, requestID: context.requestID, request: request)
    }

    static func wantsJSON(_ request: HTTPRequest) -> Bool {
        if request.path.hasPrefix("/api/") { return true }
        guard let accept = request.headers["Accept"] else { return false }
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    static func jsonBody(_ error: AppError, requestID: String) -> [UInt8] {
        var body: JSONObject = [
            "code": .string(error.kind.rawValue),
            "message": .string(error.message),
            "request_id": .string(requestID),
        ]
        if !error.fields.isEmpty {
            let fields = error.fields.sorted { $0.key < $1.key }.map {
                ($0.key, JSON.array($0.value.map(JSON.string)))
            }
            body["fields"] = .object(JSONObject(fields))
        }
        return JSON.object(["error": .object(body)]).serialized()
    }

    static func status(of kind: AppError.Kind) -> HTTPStatus {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .validation: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .notImplemented: .notImplemented
        case .internal: .internalServerError
        }
    }
}
