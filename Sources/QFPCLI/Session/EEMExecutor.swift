import QFPControl

extension ControlPlane {
    /// Makes EEM `cli command` actions run through the exec command table: each applet run gets
    /// a non-interactive CLI session of its own (privilege 15; no paging), so `configure
    /// terminal` and the lines after it work as in IOS, and `| append bootflash:…` writes to
    /// this control plane's file system. Call once after creating the control plane.
    public func attachCLIToEEM() {
        eem.setExecutor { [weak self] in
            guard let self else { return { _ in "" } }
            let session = CLISession(controlPlane: self, origin: "console by  on vty0 (EEM)", interactive: false)
            return { line in session.execute(line).output }
        }
    }
}
