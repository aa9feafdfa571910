import NIOCore
import NIOPosix
import Synchronization

/// Sends syslog datagrams to `logging host`s (BSD syslog over UDP, RFC 3164 framing as IOS
/// sends it). One unconnected UDP socket per address family, opened on first use on NIO's
/// shared event loop; `send` only queues the write on that loop, so the logging thread never
/// waits for the network. Datagrams that cannot be sent (no route, bad address) are dropped,
/// as UDP syslog does.
final class SyslogUDPSender: Sendable {
    struct Channels {
        var v4: EventLoopFuture<any Channel>?
        var v6: EventLoopFuture<any Channel>?
        var closed = false
    }

    let group: any EventLoopGroup
    let channels = Mutex(Channels())

    init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// Queues `text` to every host.
    func send(_ text: String, to hosts: [LoggingHost]) {
        for host in hosts {
            let address: SocketAddress
            do {
                address = try SocketAddress(ipAddress: host.address.description, port: Int(host.port))
            } catch {
                continue
            }
            let v6: Bool
            if case .v6 = address { v6 = true } else { v6 = false }
            guard let channel = channel(v6: v6) else { return }
            channel.whenSuccess { channel in
                var buffer = channel.allocator.buffer(capacity: text.utf8.count)
                buffer.writeString(text)
                channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
            }
        }
    }

    /// The socket of one family, bound to an ephemeral port; nil once closed.
    func channel(v6: Bool) -> EventLoopFuture<any Channel>? {
        channels.withLock { c in
            if c.closed { return nil }
            if let existing = v6 ? c.v6 : c.v4 { return existing }
            let future = DatagramBootstrap(group: group).bind(host: v6 ? "::" : "0.0.0.0", port: 0)
            if v6 { c.v6 = future } else { c.v4 = future }
            return future
        }
    }

    /// Closes the sockets; later sends are dropped.
    func close() {
        let open = channels.withLock { c -> [EventLoopFuture<any Channel>] in
            c.closed = true
            defer { c.v4 = nil; c.v6 = nil }
            return [c.v4, c.v6].compactMap { $0 }
        }
        for future in open { future.whenSuccess { $0.close(promise: nil) } }
    }
}
