import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import QFPControl
import QFPGenerator
import Synchronization

/// The daemon's Prometheus endpoint (`qfp run --metrics ADDR:PORT`): `GET /metrics` answers
/// the text exposition format; `/` a one-line pointer; anything else 404 (405 for other
/// methods). Each scrape renders on a thread pool, never on the event loop.
public final class MetricsServer: Sendable {
    public let host: String
    public let port: Int
    let controlPlane: ControlPlane
    let generator: TrafficGenerator?
    let maximumFlows: Int
    let group: MultiThreadedEventLoopGroup
    let pool: NIOThreadPool
    let channel = Mutex<(any Channel)?>(nil)

    /// The content type of the text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public enum StartError: Error, CustomStringConvertible {
        case cannotBind(String, Int, String)
        public var description: String {
            switch self {
            case let .cannotBind(host, port, why): "cannot listen for metrics on \(host) port \(port): \(why)"
            }
        }
    }

    public init(host: String, port: Int, controlPlane: ControlPlane, generator: TrafficGenerator?,
                maximumFlows: Int = MetricsExposition.defaultMaximumFlows) {
        self.host = host
        self.port = port
        self.controlPlane = controlPlane
        self.generator = generator
        self.maximumFlows = maximumFlows
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 1)
    }

    /// The port listened on (the chosen one when started with port 0).
    public var boundPort: Int? { channel.withLock { $0?.localAddress?.port } }

    /// The exposition now (what a scrape returns).
    public func render() -> String {
        MetricsExposition.render(controlPlane, generator: generator?.status(), maximumFlows: maximumFlows)
    }

    public func start() throws {
        pool.start()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 32)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] connection in
                connection.eventLoop.makeCompletedFuture {
                    try connection.pipeline.syncOperations.configureHTTPServerPipeline()
                    try connection.pipeline.syncOperations.addHandler(MetricsHTTPHandler(server: self))
                }
            }
        do {
            let bound = try bootstrap.bind(host: host, port: port).wait()
            channel.withLock { $0 = bound }
        } catch {
            try? pool.syncShutdownGracefully()
            throw StartError.cannotBind(host, port, "\(error)")
        }
    }

    public func stop() {
        if let c = channel.withLock({ $0 }) { try? c.close().wait() }
        channel.withLock { $0 = nil }
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
    }
}

/// One HTTP connection of the metrics endpoint.
final class MetricsHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: MetricsServer
    var request: HTTPRequestHead?

    init(server: MetricsServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            answer(context, head)
        }
    }

    func answer(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            respond(context, head, .methodNotAllowed, "only GET\n", type: "text/plain; charset=utf-8")
            return
        }
        switch path {
        case "/metrics":
            let server = self.server
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            server.pool.runIfActive(eventLoop: context.eventLoop) { server.render() }.whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case let .success(text): handler.respond(context, head, .ok, text, type: MetricsServer.contentType)
                case let .failure(error): handler.respond(context, head, .internalServerError, "\(error)\n", type: "text/plain; charset=utf-8")
                }
            }
        case "/":
            respond(context, head, .ok, "qfp: Prometheus metrics at /metrics\n", type: "text/plain; charset=utf-8")
        default:
            respond(context, head, .notFound, "not found: \(path) (metrics are at /metrics)\n", type: "text/plain; charset=utf-8")
        }
    }

    func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: String, type: String) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
    }
}
