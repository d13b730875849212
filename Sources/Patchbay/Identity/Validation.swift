import Foundation

/// Input rules shared by the command line, the pages and the API. Each returns the cleaned value or
/// throws a validation error naming the field.
enum Validation {
    static func email(_ text: String, field: String = "email") throws -> String {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            throw AppError.validation([field: ["must be an email address like name@example.com"]])
        }
        return email
    }

    static func slug(_ text: String, field: String = "slug") throws -> String {
        let slug = text.trimmingCharacters(in: .whitespaces)
        let allowed = slug.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
        guard (1...40).contains(slug.count), allowed, !slug.hasPrefix("-"), !slug.hasSuffix("-") else {
            throw AppError.validation([
                field: [
                    "must be 1 to 40 lowercase letters, digits and dashes, not starting or ending with a dash"
                ]
            ])
        }
        return slug
    }

    static func name(_ text: String, field: String = "name", required: Bool = true) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && name.isEmpty { throw AppError.validation([field: ["is required"]]) }
        guard name.count <= 100 else {
            throw AppError.validation([field: ["must be at most 100 characters"]])
        }
        return name
    }

    static let minimumPasswordLength = 10

    static func newPassword(_ password: String, field: String = "password") throws -> String {
        guard password.count >= minimumPasswordLength else {
            throw AppError.validation([field: ["must be at least \(minimumPasswordLength) characters"]])
        }
        guard password.utf8.count <= 1024 else {
            throw AppError.validation([field: ["must be at most 1024 bytes"]])
        }
        return password
    }

    static func role(_ text: String, field: String = "role") throws -> Role {
        guard let role = Role(parsing: text.trimmingCharacters(in: .whitespaces)) else {
            throw Role.invalid(field)
        }
        return role
    }

    static func days(_ value: Int?, field: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw AppError.validation([
                field: ["must be between \(range.lowerBound) and \(range.upperBound) days"]
            ])
        }
        return value
    }
}
