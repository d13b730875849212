/// Turns property keys into labels: `api_key` → "API key", `startDate` → "Start date".
enum Humanize {
    private static let acronyms: [String: String] = [
        "id": "ID", "url": "URL", "uri": "URI", "api": "API", "ssl": "SSL", "tls": "TLS", "ssh": "SSH",
        "http": "HTTP", "https": "HTTPS", "ip": "IP", "db": "DB", "sql": "SQL", "aws": "AWS", "s3": "S3",
        "oauth": "OAuth", "jwt": "JWT", "json": "JSON", "xml": "XML", "csv": "CSV", "uuid": "UUID",
        "dns": "DNS",
        "smtp": "SMTP", "ftp": "FTP", "sftp": "SFTP", "arn": "ARN", "kms": "KMS", "iam": "IAM", "sso": "SSO",
        "gcs": "GCS", "gcp": "GCP", "ttl": "TTL", "sha": "SHA", "html": "HTML", "cdc": "CDC",
    ]

    static func label(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in key {
            if character == "_" || character == "-" || character == " " || character == "." {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        let shaped = words.enumerated().map { index, word -> String in
            let lower = word.lowercased()
            if let acronym = acronyms[lower] { return acronym }
            if word.count > 1, word == word.uppercased() { return word }  // already an acronym
            return index == 0 ? lower.prefix(1).uppercased() + lower.dropFirst() : lower
        }
        return shaped.isEmpty ? key : shaped.joined(separator: " ")
    }
}
