import QFPCommandLanguage
import QFPControl

/// `show users` and `show ssh`: the sessions in `controlPlane.sessions`.
enum LineCommands {
    static func register(_ t: CommandTree<ExecHandler>) {
        t.add("show users", pipes: true) { ctx, _ in
            let snapshot = ShowUsers.snapshot(ctx.controlPlane.sessions.sessions, current: ctx.session.registration)
            return CommandOutput(ShowUsers.render(snapshot), json: snapshot)
        }
        t.add("show ssh", pipes: true) { ctx, _ in
            let snapshot = ShowSSH.snapshot(ctx.controlPlane.sessions.sessions)
            return CommandOutput(ShowSSH.render(snapshot), json: snapshot)
        }
    }
}
