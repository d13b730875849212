import JSON

extension RequestSpec {
    /// Writes the body and, unless one is set, its `Content-Type`. A JSON body that is one absent tag
    /// sends no body at all.
    func renderBody(into request: inout PreparedRequest, _ scopes: JSONObject) throws(RequestError) {
        let dropsAbsent = strictness == .manifest
        let text: String
        switch body {
        case .none:
            return
        case .json(let template):
            guard let value = try template.evaluate(scopes, dropsAbsent: dropsAbsent) else { return }
            request.body = value.serialized()
            setContentType(&request)
            return
        case .form(let template):
            guard let value = try template.evaluate(scopes, dropsAbsent: dropsAbsent) else { return }
            do {
                text = try FormEncoder.encode(value)
            } catch {
                throw error.located("body")
            }
        case .jsonText(let template):
            text = try Self.render(template, scopes, .jsonText)
            do {
                _ = try JSON(parsing: text)
            } catch {
                throw .invalidValue(
                    "body: the JSON body is not well formed after rendering (line \(error.line), column \(error.column))"
                )
            }
        case .formText(let template):
            text = try Self.render(template, scopes, .formURLEncoded)
        case .xml(let template):
            text = try Self.render(template, scopes, .xml)
        case .raw(let template):
            text = try Self.render(template, scopes, .text)
        }
        request.body = Array(text.utf8)
        setContentType(&request)
    }

    private static func render(_ template: RequestTemplate, _ scopes: JSONObject, _ context: TemplateContext)
        throws(RequestError) -> String
    {
        do {
            return try template.render(scopes, in: context, missing: .error)
        } catch {
            throw error.located("body")
        }
    }

    private func setContentType(_ request: inout PreparedRequest) {
        if let contentType {
            request.setHeader("Content-Type", contentType)
        } else if request.header("Content-Type") == nil, let implied = bodyType.defaultContentType {
            request.headers.append(.init(name: "Content-Type", value: implied))
        }
    }
}
