/// An in-memory terminal: scripted input bytes and captured output, for tests and transcripts.
///
/// The test double of `FileDescriptorStream` (swift-nio's `EmbeddedChannel` idea): the line
/// editor and the pager run on it unchanged, and the test asserts on the exact bytes written.
/// Input ends (nil) when the script is used up. Not thread-safe.
public final class MemoryTerminal: TerminalInput, TerminalOutput {
    /// Every byte written so far.
    public private(set) var output: [UInt8] = []
    private var input: [UInt8]
    private var position = 0

    /// A terminal whose keyboard will type `input`.
    public init(input: [UInt8] = []) {
        self.input = input
    }

    /// A terminal whose keyboard will type the UTF-8 bytes of `input`.
    public convenience init(input: String) {
        self.init(input: Array(input.utf8))
    }

    /// Appends bytes to what the keyboard will type.
    public func feed(_ bytes: [UInt8]) {
        input += bytes
    }

    /// The output so far as text (invalid UTF-8 repaired), leaving it in place.
    public var outputText: String {
        String(decoding: output, as: UTF8.self)
    }

    /// Returns the output so far and forgets it.
    public func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// The next scripted byte; nil when the script is used up.
    public func readByte() -> UInt8? {
        guard position < input.count else { return nil }
        defer { position += 1 }
        return input[position]
    }

    /// Records `bytes`.
    public func write(_ bytes: [UInt8]) {
        output += bytes
    }
}

@available(*, unavailable, message: "a test double for one thread")
extension MemoryTerminal: Sendable {}
