import FuzzDriver
import Documents

/// Reads the input as a ZIP-based document (DOCX, XLSX, PPTX, HWPX by their parts): text or a
/// `DocumentError`, never a trap or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOffice(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for file in ["fuzz.docx", "fuzz.xlsx", "fuzz.pptx", "fuzz.hwpx"] { _ = try? Documents.read(bytes, file: file) }
    return 0
}

@_cdecl("FuzzOffice_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOffice)
}
