import Foundation
import HTTPServer
import JSON
import Patchbay
import Templating

/// `POST /features/connectors/validate-field`: a form field posts the whole form on `change` (with
/// `_field` naming itself) and gets back its own fragment with its problems, checked exactly as a
/// save would check them (name taken, settings, credentials merged with the saved ones) without
/// saving anything. Picking another auth method returns the method group with that method's fields.
struct FieldValidationRoute {
    let forms: ConnectorFormRoutes
    var connectors: ConnectorService { forms.connectors }

    func register(on signedIn: RouteGroup<PatchbayContext>) {
        signedIn.post(
            "/features/connectors/validate-field",
            routeInfo("Check one form field", .connectorValidate, page: true)
        ) { request, context in try await validate(request, context) }
    }

    func validate(_ request: HTTPRequest, _ context: PatchbayContext) async throws -> HTTPResponse {
        let form = request.formFields
        let field = form["_field"] ?? ""
        var model: ConnectorFormModel
        let errors: [String: [String]]
        if let id = form["connector_id"].flatMap(UUID.init(uuidString:)) {
            let connector = try await connectors.get(id: id, context.identity)
            model = try await forms.editModel(connector, upgrade: form["upgrade"] == "1", context)
            let input = ConnectorFormInput(form, type: model.type)
            let changes = input.changes(expectedVersion: nil, upgrade: form["upgrade"] == "1")
            errors = try await connectors.checkUpdate(id: id, changes, context.identity)
                .merging(input.inputErrors) { _, typed in typed }
            model.fill(input)
        } else {
            let (entry, type) = try await connectors.latestType(
                catalogKey: form["catalog_key"] ?? "", context.identity)
            model = ConnectorFormModel(purpose: .install(entry), type: type)
            let input = ConnectorFormInput(form, type: type)
            errors = try await connectors.checkInstall(input.draft(catalogKey: entry.key), context.identity)
                .merging(input.inputErrors) { _, typed in typed }
            model.fill(input)
        }
        model.errors = errors.filter { $0.key == field || $0.key.hasPrefix(field + "[") }
        guard let fragment = Self.find(field, in: model.allFields()) else {
            throw AppError.validation(["_field": ["names no field of this form"]])
        }
        return try forms.pages.views.fragment("partials/form-field", fragment)
    }

    /// The element to re-render for `name`: the field itself, or for an auth method's radios the
    /// group holding them and the method's fields.
    static func find(_ name: String, in fields: [TemplateValue]) -> TemplateValue? {
        for field in fields {
            guard case .list(let children)? = field["fields"] else { continue }
            if children.contains(where: { $0["live_field"] == .string(name) && $0["live_target"] != "this" })
            {
                return field
            }
            if field["live_field"] == .string(name), field["live_url"]?.isTruthy == true { return field }
            if let found = find(name, in: children) { return found }
        }
        return nil
    }
}

extension ConnectorFormModel {
    /// The form as submitted (secrets excluded).
    mutating func fill(_ input: ConnectorFormInput) {
        name = input.name
        tags = input.tagsText
        config = input.configValue
        auth = input.visibleAuth
        submitted = input.submitted
    }
}
