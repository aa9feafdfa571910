import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's own flags apply: -runs=N, -max_len=N, -jobs=N, corpus directories...
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
