import NIOCore
import NIOPosix
import NIOSSH
import QFPCLI

/// One SSH session channel: a PTY shell running a `CLISession` (the very command handling of
/// `qfp cli`), or an `exec` request running one command. Lines run on the thread pool one at a
/// time; what is typed meanwhile waits and is echoed after the next prompt, so a prompt never
/// lands inside a command's output. Output goes out with CRLF line ends; `terminal length N`
/// pages with ` --More-- `. Event-loop bound apart from the session, which only the pool
/// thread touches while a line runs.
final class SSHShellHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    static let more = " --More-- "

    let session: CLISession
    let pool: NIOThreadPool
    /// Called once when the channel goes away (frees the vty number).
    let onClose: @Sendable () -> Void
    var discipline = SSHLineDiscipline()
    var started = false
    var busy = false
    /// Bytes typed while a line runs or before the shell starts.
    var pending: [UInt8] = []
    /// Lines a ` --More-- ` holds back.
    var paged: ArraySlice<Substring>?
    /// The client will send nothing more (EOF).
    var inputClosed = false
    /// An `exec` request is running (the channel closes when it is done).
    var executing = false

    /// The line's `exec-timeout`: no input for this long ends the session (nil: never).
    var idle: IdleTimer
    var idleCheck: RepeatedTask?

    init(session: CLISession, pool: NIOThreadPool, idleSeconds: Int? = nil, onClose: @escaping @Sendable () -> Void) {
        self.session = session
        self.pool = pool
        self.onClose = onClose
        idle = IdleTimer(seconds: idleSeconds, now: NIODeadline.now().uptimeNanoseconds)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        _ = context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        guard idle.limit != nil else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            let (handler, context) = bound.value
            // A command still running is not idle time.
            if !handler.busy && handler.idle.expired(now: NIODeadline.now().uptimeNanoseconds) {
                handler.idleCheck?.cancel()
                context.writeAndFlush(handler.wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(ByteBuffer(string: "\r\n")))),
                                      promise: nil)
                context.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        onClose()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            if request.terminalCharacterWidth > 0 { session.terminalWidth = min(512, request.terminalCharacterWidth) }
            reply(context, request.wantReply)
        case let request as SSHChannelRequestEvent.ShellRequest:
            reply(context, request.wantReply)
            started = true
            session.terminalLength = 24
            send(context, "\n" + session.prompt)
            drain(context)
        case let request as SSHChannelRequestEvent.ExecRequest:
            reply(context, request.wantReply)
            exec(context, request.command)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            reply(context, request.wantReply, ok: false)
        case is SSHChannelRequestEvent.WindowChangeRequest:
            break
        case is ChannelEvent where (event as? ChannelEvent) == .inputClosed:
            // The client sent EOF (`ssh host cmd < /dev/null` does at once): a running exec
            // or line still finishes and answers; an idle shell ends.
            inputClosed = true
            if !busy && !executing { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, ok: Bool = true) {
        guard wantReply else { return }
        context.triggerUserOutboundEvent(ok ? ChannelSuccessEvent() : ChannelFailureEvent(), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case let .byteBuffer(buffer) = message.data else { return }
        idle.touch(now: NIODeadline.now().uptimeNanoseconds)
        pending.append(contentsOf: buffer.readableBytesView)
        if started { drain(context) }
    }

    /// Takes typed bytes while no line runs.
    func drain(_ context: ChannelHandlerContext) {
        while !busy, !pending.isEmpty {
            let byte = pending.removeFirst()
            if paged != nil { page(context, key: byte); continue }
            guard let event = discipline.feed(byte) else { continue }
            switch event {
            case let .echo(bytes):
                write(context, bytes)
            case let .line(line):
                write(context, Array("\r\n".utf8))
                run(context, line)
            case let .help(partial):
                let text = session.help(partial)
                send(context, "?\n" + text + session.prompt + partial)
                discipline.restore(partial)
            case .interrupt:
                send(context, "\n" + session.prompt)
            case .end:
                if session.isConfiguring {
                    write(context, Array("^Z\r\n".utf8))
                    run(context, "end")
                }
            }
        }
        context.flush()
    }

    /// Runs `line` on the pool; its output, then the prompt, then what was typed meanwhile.
    func run(_ context: ChannelHandlerContext, _ line: String) {
        busy = true
        discipline.secret = false
        let session = self.session
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        pool.runIfActive(eventLoop: loop) { session.execute(line) }.whenComplete { result in
            let (handler, context) = bound.value
            handler.busy = false
            guard case let .success(response) = result else { context.close(promise: nil); return }
            handler.show(context, response)
        }
    }

    func show(_ context: ChannelHandlerContext, _ response: CommandResponse) {
        if response.closed {
            send(context, response.output)
            context.flush()
            _ = context.channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: 0)).always { _ in
                context.close(promise: nil)
            }
            return
        }
        let lines = response.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let length = session.terminalLength
        if length > 1, lines.count > length - 1 {
            send(context, lines.prefix(length - 1).map { $0 + "\n" }.joined() + Self.more)
            paged = lines.dropFirst(length - 1)
            context.flush()
            return
        }
        finish(context, response.output, passwordPrompt: response.passwordPrompt)
        if inputClosed && pending.isEmpty && !busy { context.close(promise: nil) }
    }

    /// The output's last part, then the prompt (or `Password: `), then type-ahead.
    func finish(_ context: ChannelHandlerContext, _ text: String, passwordPrompt: String? = nil) {
        if let passwordPrompt {
            discipline.secret = true
            send(context, text + passwordPrompt)
        } else {
            send(context, text + session.prompt)
        }
        drain(context)
    }

    /// A key at ` --More-- `: space a page, return a line, anything else stops.
    func page(_ context: ChannelHandlerContext, key: UInt8) {
        guard var rest = paged else { return }
        let erase = String(repeating: "\u{8}", count: Self.more.count) + String(repeating: " ", count: Self.more.count)
            + String(repeating: "\u{8}", count: Self.more.count)
        write(context, Array(erase.utf8))
        let count: Int
        switch key {
        case UInt8(ascii: " "): count = max(1, session.terminalLength - 1)
        case 0x0D, 0x0A: count = 1
        default:
            paged = nil
            finish(context, "")
            return
        }
        let chunk = rest.prefix(count)
        rest = rest.dropFirst(count)
        let text = chunk.map { $0 + "\n" }.joined()
        if rest.isEmpty {
            paged = nil
            finish(context, text)
        } else {
            paged = rest
            send(context, text + Self.more)
        }
    }

    /// `ssh host 'show …'`: one command, its output, exit status 0 (1 if it failed), close.
    func exec(_ context: ChannelHandlerContext, _ command: String) {
        executing = true
        let session = self.session
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        pool.runIfActive(eventLoop: loop) { session.execute(command, echo: true) }.whenComplete { result in
            let (handler, context) = bound.value
            let response = try? result.get()
            handler.send(context, response?.output ?? "% qfp: the command did not run\n")
            context.flush()
            let status = response.map { $0.failed ? 1 : 0 } ?? 1
            _ = context.channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).always { _ in
                context.close(promise: nil)
            }
        }
    }

    /// Writes `text` with CRLF line ends.
    func send(_ context: ChannelHandlerContext, _ text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for b in text.utf8 {
            if b == 0x0A { bytes.append(0x0D) }
            bytes.append(b)
        }
        write(context, bytes)
    }

    func write(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))), promise: nil)
    }
}

/// `exec-timeout` of a session: idle since the last input. Pure, so that it is tested on
/// virtual time; the handler feeds it the event loop's clock.
struct IdleTimer: Equatable {
    /// Nanoseconds of idle time allowed (nil: `exec-timeout 0 0`, never).
    let limit: UInt64?
    private(set) var lastInput: UInt64

    init(seconds: Int?, now: UInt64) {
        limit = seconds.map { UInt64($0) * 1_000_000_000 }
        lastInput = now
    }

    mutating func touch(now: UInt64) { lastInput = now }

    func expired(now: UInt64) -> Bool {
        guard let limit else { return false }
        return now >= lastInput && now - lastInput >= limit
    }
}
