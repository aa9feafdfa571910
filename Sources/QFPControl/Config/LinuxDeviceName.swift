/// Linux network device names as `qfp port linux DEV` accepts them (a qfp extension).
///
/// The kernel takes a name of 1 to 15 bytes (`IFNAMSIZ` 16 with its NUL), not `.` or `..`,
/// without `/`, `:` or white space (`dev_valid_name`). qfp narrows that to what `ip link`
/// users type: ASCII letters, digits, `.`, `-` and `_`, so a name in the configuration is one
/// word that every tool prints the same way.
public enum LinuxDeviceName {
    /// Longest name the kernel takes (`IFNAMSIZ - 1`).
    public static let maximumLength = 15

    /// The offset of the first character that makes `name` invalid (the 16th character for a
    /// name too long, 0 for `.`, `..` or an empty name), or nil when it is valid.
    public static func invalidOffset(_ name: String) -> Int? {
        let characters = Array(name)
        if characters.isEmpty || name == "." || name == ".." { return 0 }
        for (offset, c) in characters.enumerated() {
            guard c.isASCII, c.isLetter || c.isNumber || c == "." || c == "-" || c == "_" else { return offset }
            if offset == maximumLength { return offset }
        }
        return nil
    }

    /// Whether `name` is a valid device name.
    public static func isValid(_ name: String) -> Bool { invalidOffset(name) == nil }
}
