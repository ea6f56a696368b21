/// Starts libFuzzer from a SwiftPM executable.
///
/// SwiftPM links an executable with `main` aliased to `<Target>_main` (for testable executables),
/// so libFuzzer's own `main` is never linked; each target defines `<Target>_main` and calls
/// `FuzzDriver.run`, which hands the command line and the target's `LLVMFuzzerTestOneInput` to
/// `LLVMFuzzerRunDriver`, libFuzzer's documented entry for programs with their own `main`.
public enum FuzzDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: TestOneInput) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, test)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ test: FuzzDriver.TestOneInput) -> CInt
