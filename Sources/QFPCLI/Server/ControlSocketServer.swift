import Foundation
import Logging
import NIOCore
import NIOPosix
import QFPControl
import QFPGenerator

/// The daemon's Unix-domain control socket (mode 0600): one `CLISession` per connection, any
/// number of concurrent clients. Commands run on a thread pool, one at a time per connection,
/// so a slow command never stalls other clients' event loop.
public final class ControlSocketServer: @unchecked Sendable {
    public let path: String
    let controlPlane: ControlPlane
    let generator: TrafficGenerator?
    let dropCapture: DropCapture?
    let group: MultiThreadedEventLoopGroup
    let pool: NIOThreadPool
    var channel: Channel?
    let logger = Logger(label: "qfp.control-socket")

    /// Why the server could not start.
    public enum StartError: Error, CustomStringConvertible {
        case alreadyServed(String)
        case cannotBind(String, String)
        public var description: String {
            switch self {
            case let .alreadyServed(p): "a qfp daemon is already serving \(p) (stop it, or use --socket)"
            case let .cannotBind(p, why): "cannot listen on \(p): \(why)"
            }
        }
    }

    public init(path: String, controlPlane: ControlPlane, generator: TrafficGenerator? = nil, dropCapture: DropCapture? = nil) {
        self.path = path
        self.controlPlane = controlPlane
        self.generator = generator
        self.dropCapture = dropCapture
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 1)
    }

    /// Binds the socket: refuses when another daemon answers on it, replaces a stale file.
    public func start() throws {
        try ControlSocketPath.prepareDirectory(for: path)
        if FileManager.default.fileExists(atPath: path) {
            if ControlSocketClient.isServing(path) { throw StartError.alreadyServed(path) }
            try? FileManager.default.removeItem(atPath: path)
            logger.info("replaced stale control socket \(path)")
        }
        pool.start()
        let controlPlane = self.controlPlane
        let pool = self.pool
        let generator = self.generator
        let dropCapture = self.dropCapture
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        SessionHandler(session: CLISession(controlPlane: controlPlane, interactive: false), generator: generator, dropCapture: dropCapture, pool: pool))
                }
            }
        let oldMask = umask(0o177)   // the socket file is created 0600
        defer { umask(oldMask) }
        do {
            channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
        } catch {
            throw StartError.cannotBind(path, "\(error)")
        }
        chmod(path, 0o600)
    }

    /// Stops listening, closes every session and removes the socket file.
    public func stop() {
        try? channel?.close().wait()
        channel = nil
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Splits the byte stream into lines; a line longer than the limit ends the connection.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex
            let line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
        if buffer.readableBytes > ControlProtocol.maximumMessageBytes {
            throw OversizedMessage()
        }
        return .needMoreData
    }

    struct OversizedMessage: Error {}
}

/// One connection's session: decodes requests, runs them in order off the event loop, answers.
final class SessionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let session: CLISession
    let generator: TrafficGenerator?
    let dropCapture: DropCapture?
    let pool: NIOThreadPool
    var queue: EventLoopFuture<Void>?

    init(session: CLISession, generator: TrafficGenerator?, dropCapture: DropCapture?, pool: NIOThreadPool) {
        self.session = session
        self.generator = generator
        self.dropCapture = dropCapture
        self.pool = pool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let channel = context.channel
        guard let request = try? JSONDecoder().decode(ControlProtocol.Request.self, from: Data(bytes.readableBytesView)) else {
            reply(ControlProtocol.Reply(error: "qfp: malformed request (expected one JSON object per line)"), on: channel, close: true)
            return
        }
        let session = self.session
        let generator = self.generator
        let dropCapture = self.dropCapture
        let previous = queue ?? channel.eventLoop.makeSucceededVoidFuture()
        let work = previous.flatMap { [pool] in
            pool.runIfActive(eventLoop: channel.eventLoop) { () -> ControlProtocol.Reply in
                Self.handle(request, session, generator: generator, dropCapture: dropCapture)
            }
        }
        queue = work.map { [weak self] reply in
            self?.reply(reply, on: channel, close: reply.response?.closed == true)
        }.recover { _ in }
    }

    static func handle(_ request: ControlProtocol.Request, _ session: CLISession, generator: TrafficGenerator? = nil,
                       dropCapture: DropCapture? = nil) -> ControlProtocol.Reply {
        switch request.operation {
        case .capture:
            guard let dropCapture else { return ControlProtocol.Reply(failure: "this daemon cannot capture drops") }
            do {
                switch request.action ?? .status {
                case .start:
                    guard let path = request.path else { return ControlProtocol.Reply(failure: "capture start needs a file") }
                    return ControlProtocol.Reply(text: try dropCapture.start(path: path))
                case .stop: return ControlProtocol.Reply(text: try dropCapture.stop())
                case .status: return ControlProtocol.Reply(text: dropCapture.status())
                }
            } catch {
                return ControlProtocol.Reply(failure: "\(error)")
            }
        case .generator:
            guard let generator else { return ControlProtocol.Reply(failure: "this daemon runs no traffic generator") }
            return GeneratorRequests.handle(request, generator)
        case .top:
            return ControlProtocol.Reply(top: TopSnapshot(session.controlPlane, syslogLines: request.syslogLines ?? TopSnapshot.defaultSyslogLines))
        case .hello:
            register(session)
            if request.interactive == true { session.terminalLength = 24 }
            return ControlProtocol.Reply(response: CommandResponse(
                output: "", failed: false, prompt: session.prompt, terminalLength: session.terminalLength, closed: false))
        case .execute:
            register(session)
            return ControlProtocol.Reply(response: session.execute(request.line ?? "", echo: request.echo ?? false))
        case .help:
            return ControlProtocol.Reply(text: session.help(request.line ?? ""))
        case .complete:
            return ControlProtocol.Reply(text: session.complete(request.line ?? ""))
        }
    }

    /// A connection that runs CLI lines (`qfp cli`) is a console session for `show users`;
    /// `qfp top`, capture and generator connections are not.
    static func register(_ session: CLISession) {
        if session.registration == nil {
            session.registration = session.controlPlane.sessions.register(line: .console, user: nil, location: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // After the last queued line: the session may still be running one.
        if let queue { queue.whenComplete { [self] _ in unregister() } } else { unregister() }
        context.fireChannelInactive()
    }

    func unregister() {
        if let id = session.registration { session.controlPlane.sessions.remove(id) }
    }

    func reply(_ reply: ControlProtocol.Reply, on channel: Channel, close: Bool) {
        let data = ControlProtocol.encode(reply)
        var buffer = channel.allocator.buffer(capacity: data.count)
        buffer.writeBytes(data)
        let write = channel.writeAndFlush(buffer)
        if close { write.whenComplete { _ in channel.close(promise: nil) } }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is LineDecoder.OversizedMessage {
            reply(ControlProtocol.Reply(error: "qfp: request longer than \(ControlProtocol.maximumMessageBytes) bytes"),
                  on: context.channel, close: true)
        } else {
            context.close(promise: nil)
        }
    }
}
