import Glibc
import XCTest

@testable import Secrets

final class MasterKeyLoadingTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/secrets-tests-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw XCTSkip("cannot create a temporary directory") }
        directory = String(cString: path)
    }

    override func tearDown() {
        if let entries = opendir(directory) {
            while let entry = readdir(entries) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(entries)
        }
        rmdir(directory)
    }

    private func environment(_ values: [String: String]) -> (String) -> String? {
        { values[$0] }
    }

    func testEnvironmentKeyIsLoaded() throws {
        let master = try MasterKey.generate()
        let env = environment(["PATCHBAY_MASTER_KEY": master.exportBase64() + "\n"])
        let loaded = try MasterKey.fromEnvironment(lookup: env)
        XCTAssertEqual(loaded, master)
        XCTAssertNil(try MasterKey.fromEnvironment(lookup: environment([:])))
        XCTAssertNil(try MasterKey.fromEnvironment(lookup: environment(["PATCHBAY_MASTER_KEY": ""])))
    }

    func testEnvironmentKeyWithWrongLengthIsRefusedWithoutEchoingIt() throws {
        let value = Base64.encode(try SecureRandom.bytes(16))
        let error = thrownError {
            try MasterKey.fromEnvironment(lookup: self.environment(["PATCHBAY_MASTER_KEY": value]))
        }
        guard case .invalidMasterKey(let source, let reason) = error else {
            return XCTFail("got \(String(describing: error))")
        }
        XCTAssertEqual(source, "environment variable PATCHBAY_MASTER_KEY")
        XCTAssertTrue(reason.contains("16 bytes"), reason)
        XCTAssertFalse(error!.description.contains(value))
    }

    func testEnvironmentKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
        let value = "this-is-not:base64!!"
        let error = thrownError {
            try MasterKey.fromEnvironment(lookup: self.environment(["PATCHBAY_MASTER_KEY": value]))
        }
        XCTAssertEqual(
            error,
            .invalidMasterKey(source: "environment variable PATCHBAY_MASTER_KEY", reason: "not valid base64"))
        XCTAssertFalse(error?.description.contains(value) ?? true)
    }

    func testKeyFileIsCreatedWithMode0600AndReused() throws {
        let path = directory + "/master.key"
        let created = try MasterKey.loadOrCreate(keyFile: path)
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let contents = try readFile(path)
        XCTAssertEqual(contents, created.exportBase64() + "\n")
        XCTAssertEqual(Base64.decode(String(contents.dropLast()))?.count, 32)
        XCTAssertEqual(try MasterKey.loadOrCreate(keyFile: path), created)
        XCTAssertEqual(try MasterKey.readIfPresent(keyFile: path), created)
    }

    func testLoosePermissionsAreRefused() throws {
        let path = directory + "/loose.key"
        let original = try MasterKey.loadOrCreate(keyFile: path)
        for mode: mode_t in [0o640, 0o604, 0o644, 0o660] {
            XCTAssertEqual(chmod(path, mode), 0)
            let error = thrownError { try MasterKey.loadOrCreate(keyFile: path) }
            XCTAssertEqual(error, .insecureKeyFile(path: path, mode: S_IFREG | mode))
            XCTAssertTrue(error?.description.contains("chmod 600") ?? false)
            XCTAssertTrue(error?.description.contains(String(mode, radix: 8)) ?? false)
        }
        XCTAssertEqual(chmod(path, 0o400), 0)
        XCTAssertEqual(try MasterKey.loadOrCreate(keyFile: path), original)
    }

    func testCorruptKeyFileIsRefused() throws {
        let path = directory + "/corrupt.key"
        try writeFile(path, "short\n", mode: 0o600)
        let error = thrownError { try MasterKey.loadOrCreate(keyFile: path) }
        XCTAssertEqual(error, .invalidMasterKey(source: "key file \(path)", reason: "not valid base64"))
        try writeFile(path, Base64.encode(try SecureRandom.bytes(33)), mode: 0o600)
        guard
            case .invalidMasterKey(_, let reason) = thrownError({ try MasterKey.loadOrCreate(keyFile: path) })
        else {
            return XCTFail("expected invalidMasterKey")
        }
        XCTAssertTrue(reason.contains("33 bytes"))
    }

    func testMissingDirectoryGivesClearError() {
        let path = directory + "/no/such/dir/master.key"
        guard
            case .keyFile(let reportedPath, let reason) = thrownError({
                try MasterKey.loadOrCreate(keyFile: path)
            })
        else { return XCTFail("expected keyFile error") }
        XCTAssertEqual(reportedPath, path)
        XCTAssertTrue(reason.contains("No such file"), reason)
    }

    func testEnvironmentWinsOverFileAndFileIsTheFallback() throws {
        let fromEnv = try MasterKey.generate()
        let path = directory + "/fallback.key"
        let env = environment(["PATCHBAY_MASTER_KEY": fromEnv.exportBase64()])
        XCTAssertEqual(try MasterKey.load(keyFile: path, lookup: env), fromEnv)
        XCTAssertNil(try MasterKey.readIfPresent(keyFile: path))
        let fromFile = try MasterKey.load(keyFile: path, lookup: environment([:]))
        XCTAssertNotEqual(fromFile, fromEnv)
        XCTAssertEqual(try MasterKey.readIfPresent(keyFile: path), fromFile)
        guard
            case .masterKeyUnavailable = thrownError({
                try MasterKey.load(keyFile: nil, lookup: environment([:]))
            })
        else { return XCTFail("expected masterKeyUnavailable") }
    }

    private func readFile(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else {
            throw SecretsError.keyFile(path: path, reason: "test cannot open")
        }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = fread(&buffer, 1, buffer.count, file)
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    private func writeFile(_ path: String, _ text: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else { throw SecretsError.keyFile(path: path, reason: "test cannot create") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        XCTAssertEqual(write(fd, bytes, bytes.count), bytes.count)
        fchmod(fd, mode)
    }
}
