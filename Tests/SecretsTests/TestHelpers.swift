import XCTest

@testable import Secrets

/// Decodes a hex literal from a test vector; a typo fails the test instead of crashing.
func hex(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
    let cleaned = text.filter { !$0.isWhitespace }
    guard let bytes = Hex.decode(cleaned) else {
        XCTFail("bad hex literal in test", file: file, line: line)
        return []
    }
    return bytes
}

/// Asserts that `body` throws exactly `expected`.
func assertThrows<T>(
    _ expected: SecretsError, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch let error as SecretsError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}

/// Returns the `SecretsError` thrown by `body`, failing the test if there is none.
func thrownError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T)
    -> SecretsError?
{
    do {
        _ = try body()
        XCTFail("expected an error, nothing was thrown", file: file, line: line)
    } catch let error as SecretsError {
        return error
    } catch {
        XCTFail("expected a SecretsError, got \(error)", file: file, line: line)
    }
    return nil
}
