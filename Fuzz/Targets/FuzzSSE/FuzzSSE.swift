import FuzzDriver
@testable import Providers

/// A streaming chat response: the input is fed to the server-sent-events parser in pieces (cut
/// at every 7th byte, so events and UTF-8 sequences straddle reads) and then finished: the
/// events or nothing, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var parser = ServerSentEventParser()
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + 7)
        _ = parser.feed(bytes[start..<end])
        start = end
    }
    _ = parser.finish()
    return 0
}

@_cdecl("FuzzSSE_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzSSE)
}
