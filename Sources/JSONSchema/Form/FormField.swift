import JSON

/// One input (or group of inputs) of a form derived from a schema, in display order.
public struct FormField: Sendable, Hashable {
    /// The form input name, with the prefix given when building: `config.host`. Rows of lists use
    /// `rowName(_:)`; a choice's selector is `choiceName`.
    public var name: String
    /// Where the value sits in the JSON, as validation errors name it (`auth.api_key`), so a field's
    /// errors are `result.fieldErrors[field.path]`.
    public var path: String
    /// The property name.
    public var key: String
    /// `title`, or the key made readable (`api_key` → "API key").
    public var label: String
    public var description: String?
    public var kind: FormFieldKind
    public var isRequired: Bool
    public var isReadOnly: Bool = false
    public var defaultValue: JSON?
    /// The first of `examples`, as text.
    public var placeholder: String?
    public var examples: [JSON] = []
    /// Airbyte's `order` hint (fields are already sorted by it).
    public var order: Int?
    /// A `group` (or `x-group`) hint for laying out fieldsets.
    public var group: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?

    /// Whether the value must never be shown back (secret inputs).
    public var isSecret: Bool {
        if case .secret = kind { return true }
        return false
    }

    /// The input name of row `index` of a list: `config.tags[2]`.
    public func rowName(_ index: Int) -> String { "\(name)[\(index)]" }

    /// The input name of a child input in row `index` of an object list: `config.headers[0].key`.
    public func rowName(_ index: Int, _ child: FormField) -> String { "\(name)[\(index)].\(child.key)" }

    /// The error path of row `index` (and optionally of a child in it): `headers[0].key`.
    public func rowPath(_ index: Int, _ child: FormField? = nil) -> String {
        let row = "\(path)[\(index)]"
        return child.map { "\(row).\($0.key)" } ?? row
    }
}

/// What kind of input a field is.
public indirect enum FormFieldKind: Sendable, Hashable {
    /// A one-line text input of the given HTML type.
    case text(TextInputType)
    case textarea
    /// A password-style input whose value is never echoed back.
    case secret
    case number(NumberInput)
    case checkbox
    case select([FormOption])
    /// Several of the options (an array of enum values).
    case multiSelect([FormOption])
    /// An array of scalars: rows of the `item` input, added and removed by the user.
    case list(item: FormField)
    /// An array of two-string objects (headers, query parameters): rows of key and value inputs.
    case keyValueList(key: FormField, value: FormField)
    /// An array of other objects: rows of the given inputs.
    case objectList(fields: [FormField])
    /// A nested object shown as a fieldset.
    case fieldset(fields: [FormField])
    /// A `oneOf` of objects: pick one option, then fill in that option's fields.
    case choice(FormChoice)
}

/// HTML input types for text fields, chosen from `format`.
public enum TextInputType: String, Sendable, Hashable {
    case text, email, url, date, time
    case dateTime = "datetime-local"
}

/// Bounds and step of a number input.
public struct NumberInput: Sendable, Hashable {
    public var isInteger: Bool
    public var minimum: JSON?
    public var maximum: JSON?
    /// `multipleOf`, else 1 for integers and nil ("any") for other numbers.
    public var step: JSON?

    public init(isInteger: Bool, minimum: JSON?, maximum: JSON?, step: JSON?) {
        self.isInteger = isInteger
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }
}

/// One choice of a select.
public struct FormOption: Sendable, Hashable {
    /// The JSON value submitted.
    public var value: JSON
    public var label: String

    public init(value: JSON, label: String) {
        self.value = value
        self.label = label
    }

    /// How the value is written in the form (strings bare, other values as JSON).
    public var formValue: String { value.string ?? value.description }
}

/// The options of a `oneOf` of objects, each with its own fields.
public struct FormChoice: Sendable, Hashable {
    /// The property holding a `const` in every option (e.g. `auth_type`), or nil when the options
    /// have none and are told apart by position.
    public var discriminator: String?
    public var options: [FormChoiceOption]
    /// The input name carrying the chosen option: `config.credentials.auth_type`, or
    /// `config.credentials._option` (an index) without a discriminator.
    public var selectorName: String
    /// The option selected by default (from `default`), if any.
    public var defaultOption: Int?
}

/// One option of a `FormChoice` and the inputs it brings.
public struct FormChoiceOption: Sendable, Hashable {
    /// The discriminator's `const`, or the option's index as a number without a discriminator.
    public var value: JSON
    public var label: String
    public var description: String?
    /// The option's inputs, without the discriminator.
    public var fields: [FormField]

    public var formValue: String { value.string ?? value.description }
}
