import FuzzDriver
import Documents

/// Reads the input as an OLE2 compound file and as an HWP 5 document: text or a
/// `DocumentError`, never a trap, a loop or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHWP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let compound = try? CompoundFile(bytes, file: "fuzz.cfb") {
        var pending = [compound.root]
        while let entry = pending.popLast() {
            pending += entry.children
            if entry.kind == .stream { _ = try? compound.read(entry) }
        }
    }
    _ = try? Documents.read(bytes, file: "fuzz.hwp")
    return 0
}

@_cdecl("FuzzHWP_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzHWP)
}
