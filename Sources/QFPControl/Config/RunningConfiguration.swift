import QFPDataplane

/// Renders a configuration the way `show running-config` prints it, in IOS order; loading the
/// text back gives an equal `RouterConfiguration`.
public enum RunningConfiguration {
    /// The configuration text, from the first `!` to `end`.
    public static func body(_ c: RouterConfiguration) -> String {
        let control = c.control
        var out = "!\n" + timestamps(control.timestampsDebug, "debug") + timestamps(control.timestampsLog, "log")
        out += "!\nhostname \(c.hostname)\n!\n"
        let logging = control.logging
        if logging.bufferedDisabled {
            out += "no logging buffered\n!\n"
        } else if let size = logging.bufferedSize {
            out += "logging buffered \(size)" + (logging.bufferedLevel == .debugging ? "" : " \(logging.bufferedLevel.name)") + "\n!\n"
        }
        out += access(control.access)
        var globals: [String] = []
        if c.lifetimeSeconds != RouterConfiguration.defaultLifetimeSeconds {
            globals.append("crypto ipsec security-association lifetime seconds \(c.lifetimeSeconds)")
        }
        if c.lifetimeKilobytes != RouterConfiguration.defaultLifetimeKilobytes {
            globals.append("crypto ipsec security-association lifetime kilobytes \(c.lifetimeKilobytes)")
        }
        if c.replayWindow != RouterConfiguration.defaultReplayWindow {
            globals.append("crypto ipsec security-association replay window-size \(c.replayWindow)")
        }
        if !globals.isEmpty { out += globals.joined(separator: "\n") + "\n!\n" }
        out += ike(control)

        for set in c.transformSets.values.sorted(by: { $0.name < $1.name }) {
            // IOS leaves a space after the transform list.
            out += "crypto ipsec transform-set \(set.name) \(set.transforms.joined(separator: " ")) \n"
            out += " mode \(set.mode == .tunnel ? "tunnel" : "transport")\n"
        }
        if !c.transformSets.isEmpty { out += "!\n" }
        for profile in c.ipsecProfiles.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ipsec profile \(profile.name)\n"
            if let s = profile.lifetimeSeconds { out += " set security-association lifetime seconds \(s)\n" }
            if let k = profile.lifetimeKilobytes { out += " set security-association lifetime kilobytes \(k)\n" }
            if !profile.transformSets.isEmpty { out += " set transform-set \(profile.transformSets.joined(separator: " ")) \n" }
            if let g = profile.pfsGroup { out += " set pfs \(g)\n" }
            if let p = profile.ikev2Profile { out += " set ikev2-profile \(p)\n" }
            out += "!\n"
        }
        for (name, entries) in c.dynamicMaps.sorted(by: { $0.key < $1.key }) {
            for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
                out += "crypto dynamic-map \(name) \(entry.sequence)\n" + mapBody(entry)
            }
            out += "!\n"
        }
        for (name, entries) in c.cryptoMaps.sorted(by: { $0.key < $1.key }) {
            for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
                switch entry.kind {
                case .isakmp: out += "crypto map \(name) \(entry.sequence) ipsec-isakmp \n" + mapBody(entry)
                case .manual: out += "crypto map \(name) \(entry.sequence) ipsec-manual \n" + mapBody(entry)
                case let .dynamic(d): out += "crypto map \(name) \(entry.sequence) ipsec-isakmp dynamic \(d) \n"
                }
            }
            out += "!\n"
        }
        for client in control.ezvpnClients.values.sorted(by: { $0.name < $1.name }) {
            out += ezvpn(client) + "!\n"
        }
        for i in c.orderedInterfaces {
            out += interface(i) + "!\n"
        }
        for r in c.staticRoutes {
            let target = r.nextHop?.description ?? r.interface ?? ""
            out += "ip route \(r.prefix.address) \(WildcardMask.netmask(r.prefix.length)) \(target)\n"
        }
        if !c.staticRoutes.isEmpty { out += "!\n" }
        let lists = c.accessLists.values.sorted { a, b in a.isNumbered != b.isNumbered ? !a.isNumbered : a.name < b.name }
        for list in lists where !list.isNumbered {
            out += "ip access-list extended \(list.name)\n"
            for e in list.entries { out += " \(e.sequence) \(ace(e))\n" }
            out += "!\n"
        }
        for list in lists where list.isNumbered {
            for e in list.entries { out += "access-list \(list.name) \(list.isStandard ? standardACE(e) : ace(e))\n" }
        }
        if lists.contains(where: \.isNumbered) { out += "!\n" }
        var logLines: [String] = []
        if logging.trapLevel != .informational { logLines.append("logging trap \(logging.trapLevel.name)") }
        for h in logging.hosts {
            logLines.append("logging host \(h.address)" + (h.port == 514 ? "" : " transport udp port \(h.port)"))
        }
        if !logLines.isEmpty { out += logLines.joined(separator: "\n") + "\n!\n" }
        for applet in control.applets.values.sorted(by: { $0.name < $1.name }) {
            out += self.applet(applet) + "!\n"
        }
        out += lines(control.access)
        out += "end\n"
        return out
    }

    /// The whole `show running-config` output: header and body.
    public static func show(_ c: RouterConfiguration, lastChange: String) -> String {
        let text = body(c)
        return "Building configuration...\n\nCurrent configuration : \(text.utf8.count) bytes\n"
            + "!\n! Last configuration change at \(lastChange)\n" + text
    }

    /// `enable secret`, `username` lines, `ip ssh listen` and `login delay`, each group
    /// followed by `!` as IOS separates them.
    static func access(_ a: AccessConfiguration) -> String {
        var out = ""
        if let secret = a.enableSecret { out += "enable secret 9 \(secret)\n!\n" }
        var users = ""
        for user in a.users.values.sorted(by: { $0.name < $1.name }) {
            let privilege = user.privilege == 1 ? "" : " privilege \(user.privilege)"
            if let secret = user.secret {
                users += "username \(user.name)\(privilege) secret 9 \(secret)\n"
            } else if user.privilege != 1 || user.sshKeys.isEmpty {
                users += "username \(user.name) privilege \(user.privilege)\n"
            }
            for key in user.sshKeys { users += "username \(user.name) ssh-key \(key)\n" }
        }
        if !users.isEmpty { out += users + "!\n" }
        var lines: [String] = []
        if let listen = a.sshListen { lines.append("ip ssh listen \(listen.address) port \(listen.port)") }
        if a.loginDelay != AccessConfiguration.defaultLoginDelay { lines.append("login delay \(a.loginDelay)") }
        if let b = a.block { lines.append("login block-for \(b.seconds) attempts \(b.attempts) within \(b.within)") }
        if let acl = a.quietModeAccessClass { lines.append("login quiet-mode access-class \(acl)") }
        if let n = a.logFailuresEvery { lines.append("login on-failure log" + (n == 1 ? "" : " every \(n)")) }
        if let n = a.logSuccessesEvery { lines.append("login on-success log" + (n == 1 ? "" : " every \(n)")) }
        if a.sshTimeout != AccessConfiguration.defaultSSHTimeout { lines.append("ip ssh time-out \(a.sshTimeout)") }
        if a.sshRetries != AccessConfiguration.defaultSSHRetries { lines.append("ip ssh authentication-retries \(a.sshRetries)") }
        if let v = a.sshVersion { lines.append("ip ssh version \(v)") }
        if !lines.isEmpty { out += lines.joined(separator: "\n") + "\n!\n" }
        return out
    }

    /// The `line` blocks, as IOS ends its configuration with them (before `end`).
    static func lines(_ a: AccessConfiguration) -> String {
        var out = ""
        for block in a.lines {
            out += block.header + "\n"
            let l = block.settings
            if let acl = l.accessClass { out += " access-class \(acl) in\n" }
            if l.execTimeout != .iosDefault {
                out += " exec-timeout \(l.execTimeout.minutes) \(l.execTimeout.seconds)\n"
            }
            if let p = l.privilegeLevel { out += " privilege level \(p)\n" }
            if l.loggingSynchronous { out += " logging synchronous\n" }
            if let n = l.length { out += " length \(n)\n" }
            if let n = l.width { out += " width \(n)\n" }
            if let n = l.sessionTimeout { out += " session-timeout \(n)\n" }
            if let n = l.stopbits { out += " stopbits \(n)\n" }
            if let login = l.login { out += login.isEmpty ? " login\n" : " login \(login)\n" }
            if let t = l.transportInput { out += " transport input \(t.joined(separator: " "))\n" }
            if let t = l.transportOutput { out += " transport output \(t.joined(separator: " "))\n" }
        }
        return out.isEmpty ? "" : out + "!\n"
    }

    static func mapBody(_ e: CryptoMapEntry) -> String {
        var out = ""
        for p in e.peers { out += " set peer \(p)\n" }
        for k in e.inboundKeys { out += " set session-key inbound esp \(k.spi)\(keyText(k))\n" }
        if let k = e.outboundKey { out += " set session-key outbound esp \(k.spi)\(keyText(k))\n" }
        if let s = e.lifetimeSeconds { out += " set security-association lifetime seconds \(s)\n" }
        if let k = e.lifetimeKilobytes { out += " set security-association lifetime kilobytes \(k)\n" }
        switch e.replay {
        case .global: break
        case let .window(n): out += " set security-association replay window-size \(n)\n"
        case .disabled: out += " set security-association replay disable\n"
        }
        if !e.transformSets.isEmpty { out += " set transform-set \(e.transformSets.joined(separator: " ")) \n" }
        if let g = e.pfsGroup { out += " set pfs \(g)\n" }
        if let acl = e.matchAddress { out += " match address \(acl)\n" }
        return out
    }

    static func keyText(_ k: SessionKey) -> String {
        (k.cipher.map { " cipher \($0)" } ?? "") + (k.authenticator.map { " authenticator \($0)" } ?? "")
    }

    static func interface(_ i: InterfaceConfiguration) -> String {
        var out = "interface \(i.name)\n"
        if let d = i.description { out += " description \(d)\n" }
        if let a = i.ipv4 { out += " ip address \(a.address) \(WildcardMask.netmask(a.length))\n" } else { out += " no ip address\n" }
        if let mtu = i.ipMTU { out += " ip mtu \(mtu)\n" }
        let t = i.tunnel
        if i.isTunnel {
            for m in t.nhrpMaps { out += " ip nhrp map \(m.tunnelAddress) \(m.nbmaAddress)\n" }
            if let id = t.nhrpNetworkID { out += " ip nhrp network-id \(id)\n" }
            for s in t.nhrpServers { out += " ip nhrp nhs \(s)\n" }
        }
        for a in i.ipv6 { out += " ipv6 address \(a.address)/\(a.length)\n" }
        if i.shutdown { out += " shutdown\n" }
        if i.isTunnel {
            if let s = t.sourceAddress { out += " tunnel source \(s)\n" }
            if let s = t.sourceInterface { out += " tunnel source \(s)\n" }
            if t.mode != .greIP { out += " tunnel mode \(t.mode.rawValue)\n" }
            if let d = t.destination { out += " tunnel destination \(d)\n" }
            if let p = t.protectionProfile { out += " tunnel protection ipsec profile \(p)\n" }
        }
        if let m = i.cryptoMap { out += " crypto map \(m)\n" }
        if let name = i.ezvpnName { out += " crypto ipsec client ezvpn \(name)\(i.ezvpnInside ? " inside" : "")\n" }
        if let device = i.linuxDevice { out += " qfp port linux \(device)\n" }
        return out
    }

    static func timestamps(_ t: ServiceTimestamps, _ which: String) -> String {
        guard t.enabled else { return "no service timestamps \(which)\n" }
        switch t.kind {
        case .uptime:
            return "service timestamps \(which) uptime\n"
        case .datetime:
            var out = "service timestamps \(which) datetime"
            if t.msec { out += " msec" }
            if t.localtime { out += " localtime" }
            if t.showTimezone { out += " show-timezone" }
            if t.year { out += " year" }
            return out + "\n"
        }
    }

    /// `crypto isakmp …` and `crypto ikev2 …`, in IOS order.
    static func ike(_ c: ControlConfiguration) -> String {
        var out = ""
        for policy in c.isakmpPolicies.values.sorted(by: { $0.priority < $1.priority }) {
            out += "crypto isakmp policy \(policy.priority)\n"
            if let v = policy.encryption { out += " encr \(v)\n" }
            if let v = policy.hash { out += " hash \(v)\n" }
            if let v = policy.authentication { out += " authentication \(v)\n" }
            if let v = policy.group { out += " group \(v)\n" }
            if let v = policy.lifetime { out += " lifetime \(v)\n" }
        }
        var globals: [String] = []
        for k in c.isakmpKeys {
            var line = "crypto isakmp key \(k.encrypted ? "6 " : "")\(k.key) address \(k.address)"
            if let m = k.mask { line += " \(m)" }
            if k.noXauth { line += " no-xauth" }
            globals.append(line)
        }
        if c.invalidSPIRecovery { globals.append("crypto isakmp invalid-spi-recovery") }
        if let k = c.keepalive {
            globals.append("crypto isakmp keepalive \(k.seconds) \(k.retry)" + (k.mode == .periodic ? " periodic" : ""))
        }
        if !c.isakmpPolicies.isEmpty && !globals.isEmpty { out += "!\n" }
        if !globals.isEmpty { out += globals.joined(separator: "\n") + "\n" }
        if !out.isEmpty { out += "!\n" }
        for p in c.ikev2Proposals.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ikev2 proposal \(p.name) \n"
            if !p.encryption.isEmpty { out += " encryption \(p.encryption.joined(separator: " "))\n" }
            if !p.integrity.isEmpty { out += " integrity \(p.integrity.joined(separator: " "))\n" }
            if !p.prf.isEmpty { out += " prf \(p.prf.joined(separator: " "))\n" }
            if !p.groups.isEmpty { out += " group \(p.groups.map(String.init).joined(separator: " "))\n" }
            out += "!\n"
        }
        for p in c.ikev2Policies.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ikev2 policy \(p.name) \n"
            for a in p.matchLocalAddresses { out += " match address local \(a)\n" }
            for name in p.proposals { out += " proposal \(name)\n" }
            out += "!\n"
        }
        for k in c.ikev2Keyrings.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ikev2 keyring \(k.name)\n"
            for peer in k.peers {
                out += " peer \(peer.name)\n"
                if let a = peer.address { out += "  address \(prefixText(a))\n" }
                if let key = peer.preSharedKey { out += "  pre-shared-key \(peer.preSharedKeyEncrypted ? "6 " : "")\(key)\n" }
                out += " !\n"
            }
            out += "!\n"
        }
        for p in c.ikev2Profiles.values.sorted(by: { $0.name < $1.name }) {
            out += "crypto ikev2 profile \(p.name)\n"
            for a in p.matchRemoteAddresses { out += " match identity remote address \(prefixText(a)) \n" }
            if let a = p.localIdentity { out += " identity local address \(a)\n" }
            if let v = p.authenticationRemote { out += " authentication remote \(v)\n" }
            if let v = p.authenticationLocal { out += " authentication local \(v)\n" }
            if let v = p.keyring { out += " keyring local \(v)\n" }
            if let v = p.lifetime { out += " lifetime \(v)\n" }
            if let d = p.dpd { out += " dpd \(d.seconds) \(d.retry) \(d.mode.rawValue)\n" }
            out += "!\n"
        }
        return out
    }

    /// `A.B.C.D` for a host prefix, `A.B.C.D M.M.M.M` otherwise.
    static func prefixText(_ p: IPPrefix) -> String {
        p.length == 32 ? "\(p.address)" : "\(p.address) \(WildcardMask.netmask(p.length))"
    }

    static func ezvpn(_ e: EzVPNClient) -> String {
        var out = "crypto ipsec client ezvpn \(e.name)\n"
        out += " connect \(e.connect.rawValue)\n"
        if let g = e.group, let k = e.groupKey { out += " group \(g) key \(k)\n" }
        out += " mode \(e.mode.rawValue)\n"
        for p in e.peers { out += " peer \(p)\n" }
        if let x = e.xauthUserIDMode { out += " xauth userid mode \(x)\n" }
        return out
    }

    static func applet(_ a: EventManagerApplet) -> String {
        var out = "event manager applet \(a.name)" + (a.authorizationBypass ? " authorization bypass" : "") + "\n"
        let maxrun = a.maxrun.map { " maxrun \(seconds($0))" } ?? ""
        switch a.event {
        case nil: break
        case let .syslog(pattern, occurs, period, ratelimit)?:
            out += " event syslog"
            if let o = occurs { out += " occurs \(o)" }
            if let p = period { out += " period \(seconds(p))" }
            out += " pattern \"\(pattern)\"" + maxrun
            if let r = ratelimit { out += " ratelimit \(seconds(r))" }
            out += "\n"
        case .none?:
            out += " event none\(maxrun)\n"
        case let .countdown(s)?:
            out += " event timer countdown time \(seconds(s))\(maxrun)\n"
        case let .watchdog(s)?:
            out += " event timer watchdog time \(seconds(s))\(maxrun)\n"
        }
        for labeled in a.orderedActions {
            out += " action \(labeled.label) "
            switch labeled.action {
            case let .cliCommand(command, pattern):
                out += "cli command \"\(command)\"" + (pattern.map { " pattern \"\($0)\"" } ?? "")
            case let .syslogMessage(message, priority):
                out += "syslog " + (priority.map { "priority \($0) " } ?? "") + "msg \"\(message)\""
            case let .regexp(pattern, input, variables):
                out += "regexp \"\(pattern)\" \"\(input)\"" + variables.map { " " + $0 }.joined()
            case let .puts(text):
                out += "puts \"\(text)\""
            case let .set(variable, value):
                out += "set \(variable) \"\(value)\""
            }
            out += "\n"
        }
        return out
    }

    /// Seconds as IOS writes them: whole seconds without a fraction.
    static func seconds(_ s: Double) -> String {
        if s == s.rounded(), abs(s) < 1e15 { return String(Int(s)) }
        return "\(s)"
    }

    /// An extended entry as IOS writes it after the sequence number: `permit ip 10.1.0.0
    /// 0.0.255.255 host 10.2.0.9 eq 443`.
    public static func ace(_ e: AccessListEntry) -> String {
        let proto = e.protocolNumber.map { n in
            AccessListEntryParser.protocols.first(where: { $0.value == n })?.key ?? String(n)
        } ?? "ip"
        return "\(e.action.rawValue) \(proto) \(addr(e.source))\(ports(e.sourcePorts)) \(addr(e.destination))\(ports(e.destinationPorts))"
    }

    /// A standard entry as IOS prints it: `permit 192.0.2.0 0.0.0.255`, `permit 192.0.2.5`, `deny any`.
    static func standardACE(_ e: AccessListEntry) -> String {
        let p = e.source
        let source = p.length == 0 ? "any" : p.length == 32 ? "\(p.address)" : "\(p.address) \(WildcardMask.wildcard(p.length))"
        return "\(e.action.rawValue) \(source)"
    }

    static func addr(_ p: IPPrefix) -> String {
        if p.length == 0 { return "any" }
        if p.length == 32 { return "host \(p.address)" }
        return "\(p.address) \(WildcardMask.wildcard(p.length))"
    }

    static func ports(_ m: AccessListEntry.PortMatch) -> String {
        switch m {
        case .any: ""
        case let .eq(p): " eq \(p)"
        case let .lt(p): " lt \(p)"
        case let .gt(p): " gt \(p)"
        case let .range(a, b): " range \(a) \(b)"
        }
    }
}
