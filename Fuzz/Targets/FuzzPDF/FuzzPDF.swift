import FuzzDriver
import Documents

/// Reads the input as a PDF (cross-reference tables and streams, filters, encryption, fonts and
/// content streams) under small limits: text or a `DocumentError`, never a trap or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? Documents.read(Array(UnsafeBufferPointer(start: data, count: size)), file: "fuzz.pdf")
    return 0
}

@_cdecl("FuzzPDF_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzPDF)
}
