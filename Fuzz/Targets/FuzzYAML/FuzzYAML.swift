import FuzzDriver
import YAML

/// Parses the input as YAML: a node tree or a `YAMLError` with a mark, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? YAMLParser.parse(UnsafeBufferPointer(start: data, count: size), file: "fuzz.yaml")
    return 0
}

@_cdecl("FuzzYAML_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzYAML)
}
