import Foundation
import HTTPServer
import Patchbay
import Templating

extension BuilderRoutes {
    /// Runs the request as filled in, unsaved, and answers with the result fragment: 200 whatever the
    /// server it called said, 422 with the problems when the values cannot be run.
    func tryRequest(_ request: HTTPRequest, connectorID: UUID?, _ context: PatchbayContext) async throws
        -> HTTPResponse
    {
        let form = request.formFields
        let type: ConnectorType
        if let connectorID {
            let connector = try await connectors.get(id: connectorID, context.identity)
            type = try await connectors.type(of: connector, context.identity)
        } else {
            type = try await connectors.latestType(catalogKey: form["catalog_key"] ?? "", context.identity).1
        }
        let input = BuilderFormInput(form, type: type)
        do {
            if !input.inputErrors.isEmpty { throw AppError.validation(input.inputErrors) }
            let sample = try input.sample()
            let trial = ConnectorTrial(
                catalogKey: type.manifest.key, connectorID: connectorID, config: input.configValue,
                auth: input.trialAuth(isEdit: connectorID != nil), input: sample.input,
                contact: sample.contact)
            let outcome = try await connectors.trial(trial, context.identity)
            return try forms.pages.views.fragment(
                "partials/builder-try-result", ["result": BuilderTryModel.value(outcome)])
        } catch let error as AppError where error.kind == .validation {
            let value = BuilderTryModel.problems(error.fields, message: "Fix these first; nothing was sent.")
            return try forms.pages.views.fragment(
                "partials/builder-try-result", ["result": value], status: .unprocessableContent)
        }
    }
}
