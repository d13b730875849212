import ArgumentParser
import Glibc

/// Reads a password without it ever being a command-line argument (which `ps` and shell history
/// would show): from a terminal with echo off, or as the first line of standard input.
enum PasswordInput {
    static func read(fromStandardInput: Bool, confirm: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("--password-stdin: no password on standard input.")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError(
                "No terminal to ask for the password: pass --password-stdin and pipe it in.")
        }
        let password = try prompt("Password: ")
        if confirm, try prompt("Password again: ") != password {
            throw ValidationError("The two passwords differ.")
        }
        return password
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandleOutput.standardError(text)
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw ValidationError("Cannot read the terminal settings.")
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandleOutput.standardError("\n")
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

/// Prompts go to standard error, so standard output stays clean for scripts.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
