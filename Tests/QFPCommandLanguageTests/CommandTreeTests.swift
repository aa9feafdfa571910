import QFPCommandLanguage
import Testing

@Suite("IOS command matching")
struct CommandTreeTests {
    func tree() -> CommandTree<String> {
        let t = CommandTree<String>(help: [
            "show": "Show running system information",
            "platform": "Show platform information",
            "hardware": "Show platform hardware information",
            "qfp": "Quantum Flow Processor",
            "active": "Active instance",
            "statistics": "QFP statistics",
            "drop": "Drop statistics",
            "all": "All counters, zero included",
            "clear": "Clear after display",
            "policy-map": "Show QoS policy map",
            "peer": "Show crypto ipsec SA for a peer",
            "peer A.B.C.D": "IP address of the peer",
            "terminal": "Set terminal line parameters",
            "length": "Set number of lines on a screen",
            "length <0-512>": "Number of lines on screen (0 for no pausing)",
        ])
        t.add("show platform hardware qfp active statistics drop [all | clear]", pipes: true, handler: "drops")
        t.add("show policy-map", pipes: true, handler: "policy")
        t.add("show crypto ipsec sa [detail] [peer A.B.C.D]", pipes: true, handler: "ipsec-sa")
        t.add("terminal length <0-512>", handler: "length")
        t.add("description LINE", negatable: true, handler: "description")
        return t
    }

    func expectCommand(_ line: String, _ handler: String, sourceLocation: SourceLocation = #_sourceLocation) -> ParsedCommand? {
        guard case let .command(h, parsed, _) = tree().match(line) else {
            Issue.record("\(line) did not match", sourceLocation: sourceLocation)
            return nil
        }
        #expect(h == handler, sourceLocation: sourceLocation)
        return parsed
    }

    @Test("unique prefixes of every keyword select the command; case does not matter")
    func abbreviations() {
        #expect(expectCommand("sh plat hard qfp act stat drop", "drops")?.keywords.last == "drop")
        #expect(expectCommand("SHOW PLATFORM hardware QFP active statistics drop ALL", "drops")?.has("all") == true)
        #expect(expectCommand("sh pla h q a s d c", "drops")?.has("clear") == true)
        #expect(expectCommand("sh po", "policy") != nil)
    }

    @Test("arguments are typed and reachable by their keyword")
    func arguments() {
        let p = expectCommand("show crypto ipsec sa detail peer 198.51.100.7", "ipsec-sa")
        #expect(p?.has("detail") == true && p?.argument(after: "peer") == "198.51.100.7")
        #expect(expectCommand("term len 0", "length")?.arguments == ["0"])
        #expect(expectCommand("description  two  words here", "description")?.arguments == ["two  words here"])
        let n = expectCommand("no description x", "description")
        #expect(n?.isNegated == true)
    }

    @Test("errors: invalid input with the caret column, ambiguous, incomplete, needs subcommand")
    func errors() {
        let t = tree()
        guard case let .failure(f) = t.match("show platfrm hardware") else { Issue.record("matched"); return }
        #expect(f == .invalid(column: 5))
        #expect(CommandTree<String>.errorText(f, line: "show platfrm hardware", prefix: "Router#")
                == "            ^\n% Invalid input detected at '^' marker.\n\n")
        guard case .failure(.ambiguous) = t.match("sh p") else { Issue.record("not ambiguous"); return }
        #expect(CommandTree<String>.errorText(.ambiguous, line: "sh p", prefix: "") == "% Ambiguous command:  \"sh p\"\n")
        guard case .failure(.incomplete) = t.match("show platform hardware") else { Issue.record("not incomplete"); return }
        guard case .failure(.needsSubcommand("show")) = t.match("sh") else { Issue.record("no hint"); return }
        guard case .failure(.invalid(column: 16)) = t.match("terminal length 513") else { Issue.record("range"); return }
        guard case .failure(.invalid(column: 26)) = t.match("show crypto ipsec sa peer 300.1.1.1") else { Issue.record("ip"); return }
        guard case .empty = t.match("   ") else { Issue.record("blank"); return }
    }

    @Test("? lists the next words with help, <cr> when complete, | when pipes apply")
    func help() {
        let t = tree()
        #expect(t.help("show platform hardware qfp active statistics drop ") == """
              all    All counters, zero included
              clear  Clear after display
              |      Output modifiers
              <cr>   <cr>

            """)
        #expect(t.help("show crypto ipsec sa peer ") == "  A.B.C.D  IP address of the peer\n")
        #expect(t.help("sh p") == "platform  policy-map  \n")
        #expect(t.help("terminal length ") == "  <0-512>  Number of lines on screen (0 for no pausing)\n")
        #expect(t.help("show platfrm ", prompt: "Router#") == "            ^\n% Invalid input detected at '^' marker.\n\n")
    }

    @Test("Tab completes a unique prefix only")
    func completion() {
        let t = tree()
        #expect(t.complete("sh plat") == "sh platform ")
        #expect(t.complete("sh p") == nil)
        #expect(t.complete("show platform hardware qfp active statistics drop a") == "show platform hardware qfp active statistics drop all ")
        #expect(t.complete("show ") == nil)
    }

    @Test("the table lists every expanded sequence")
    func listing() {
        let all = tree().allCommands
        #expect(all.contains("show crypto ipsec sa detail peer A.B.C.D"))
        #expect(all.contains("no description LINE"))
        #expect(all.filter { $0.hasPrefix("show platform") }.count == 3)
    }
}

@Suite("Output modifiers and IOS regular expressions")
struct OutputModifierTests {
    let table = """
        -------------------------------------------------------------------------
        Global Drop Stats                         Packets                  Octets  
        -------------------------------------------------------------------------
        IpsecInput                                     12                     768  
        TailDrop                                        0                       0  
        IpsecIkeIndicate                               30                    1800  

        """

    func apply(_ text: String) -> String? {
        guard case let .success(m) = OutputModifier.parse(text, column: 0) else { return nil }
        return m.apply(to: table)
    }

    @Test("include, exclude, begin and count, with abbreviated keywords")
    func filters() {
        #expect(apply(" inc Ipsec") == """
            IpsecInput                                     12                     768  
            IpsecIkeIndicate                               30                    1800  

            """)
        #expect(apply(" i Ipsec")?.split(separator: "\n").count == 2)
        #expect(apply(" ex -") == """
            Global Drop Stats                         Packets                  Octets  
            IpsecInput                                     12                     768  
            TailDrop                                        0                       0  
            IpsecIkeIndicate                               30                    1800  

            """)
        #expect(apply(" b Tail") == "TailDrop                                        0                       0  \nIpsecIkeIndicate                               30                    1800  \n")
        #expect(apply(" count Ipsec") == "Number of lines which match regexp = 2\n")
        #expect(apply(" include ^Ipsec(Input|Ike)")?.split(separator: "\n").count == 2)
    }

    @Test("_ matches start, end, space, comma, braces, parentheses")
    func underscore() {
        #expect(apply(" exclude _0_")?.contains("TailDrop") == false)
        #expect(apply(" exclude _0_")?.contains("IpsecInput") == true)
        let r = IOSRegex("_peer_")!
        #expect(r.matches("current_peer 1.1.1.1") == false)
        #expect(r.matches("set peer 1.1.1.1") && r.matches("peer") && r.matches("(peer)") && r.matches("a,peer,b"))
        #expect(IOSRegex("[_]")!.matches("a_b"))
    }

    @Test("section keeps each matching line with its indented children")
    func section() {
        let config = "crypto map VPN 10 ipsec-isakmp\n set peer 1.1.1.1\n match address 101\ninterface Gi1\n ip address 1.1.1.2 255.255.255.0\ncrypto map VPN 20 ipsec-manual\n set peer 2.2.2.2\n"
        guard case let .success(m) = OutputModifier.parse("section crypto map", column: 0) else { Issue.record("parse"); return }
        #expect(m.apply(to: config) == "crypto map VPN 10 ipsec-isakmp\n set peer 1.1.1.1\n match address 101\ncrypto map VPN 20 ipsec-manual\n set peer 2.2.2.2\n")
    }

    @Test("bad modifiers: unknown keyword with its column, missing expression, bad expression, ambiguity")
    func errors() {
        guard case .failure(.invalid(column: 12)) = OutputModifier.parse(" frobnicate x", column: 11) else { Issue.record("invalid"); return }
        guard case .failure(.incomplete) = OutputModifier.parse(" include", column: 0) else { Issue.record("incomplete"); return }
        guard case .failure(.badExpression) = OutputModifier.parse(" include (", column: 0) else { Issue.record("regex"); return }
        guard case .success(.json) = OutputModifier.parse(" js", column: 0) else { Issue.record("json"); return }
        let (command, modifier) = OutputModifier.split("show version | inc IOS")
        #expect(command == "show version " && modifier?.text == " inc IOS" && modifier?.column == 14)
    }
}
