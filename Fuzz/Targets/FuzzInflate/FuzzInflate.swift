import FuzzDriver
import Documents

/// Inflates the input as raw DEFLATE and as zlib with a 1 MiB limit: bytes or an `InflateError`,
/// never a trap or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Inflate.inflate(bytes, limit: 1 << 20)
    _ = try? Inflate.zlib(bytes, limit: 1 << 20)
    return 0
}

@_cdecl("FuzzInflate_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzInflate)
}
