import FuzzDriver
@testable import Runtime
import Template

/// The constrained-output JSON validators: the input up to its first NUL is a JSON Schema
/// (`JSONShape(jsonSchema:)`), the rest is fed byte by byte to the shape validator (when the
/// schema is understood) and to the plain JSON prefix validator, which then give their closing
/// suffixes: never a trap, whatever the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let document = bytes[min(split + 1, bytes.count)...]
    if let shape = JSONShape(jsonSchema: String(decoding: bytes[..<split], as: UTF8.self)) {
        var validator = JSONShapeValidator(shape: shape)
        for byte in document where !validator.feed(byte) { break }
        _ = validator.closingSuffix()
    }
    var prefix = JSONPrefixValidator()
    for byte in bytes where !prefix.feed(byte) { break }
    _ = prefix.closingSuffix()
    return 0
}

@_cdecl("FuzzJSON_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzJSON)
}
