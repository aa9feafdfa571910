import QFPCommandLanguage
import QFPControl

/// `show crypto map`, `show crypto ipsec transform-set` and `show crypto ipsec profile`: the
/// crypto configuration as IOS lists it.
enum CryptoConfigShowCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show crypto map [tag WORD]", pipes: true) { ctx, p in
            let snapshot = ShowCryptoMap.snapshot(ctx.controlPlane.router.configuration, only: p.argument(after: "tag"))
            return CommandOutput(ShowCryptoMap.render(snapshot), json: snapshot)
        }
        t.add("show crypto map interface WORD", pipes: true) { ctx, p in
            let c = ctx.controlPlane.router.configuration
            guard let name = InterfaceName.canonical(p.arguments[0]), let i = c.interfaces[name] else {
                throw InvalidInput(column: p.argumentColumns[0])
            }
            // An interface without a crypto map shows nothing.
            let snapshot = i.cryptoMap.map { ShowCryptoMap.snapshot(c, only: $0) } ?? CryptoMapSnapshot(entries: [])
            return CommandOutput(ShowCryptoMap.render(snapshot), json: snapshot)
        }
        t.add("show crypto ipsec transform-set [tag WORD]", pipes: true) { ctx, p in
            let snapshot = ShowCryptoIPsecTransformSet.snapshot(ctx.controlPlane.router.configuration, only: p.argument(after: "tag"))
            return CommandOutput(ShowCryptoIPsecTransformSet.render(snapshot), json: snapshot)
        }
        t.add("show crypto ipsec profile [WORD]", pipes: true) { ctx, p in
            let snapshot = ShowCryptoIPsecProfile.snapshot(ctx.controlPlane.router.configuration, only: p.arguments.first)
            return CommandOutput(ShowCryptoIPsecProfile.render(snapshot), json: snapshot)
        }
    }
}
