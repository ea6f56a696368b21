import Foundation
import FuzzDriver
@testable import Retrieval

/// The embedding model's files: the input is parsed as a safetensors header (length, JSON table,
/// offsets checked against the size) and, written to a scratch file, read as a WordPiece
/// `tokenizer.json`, whose tokenizer then encodes a Korean and English sentence. A result or a
/// typed error, never a trap or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    if size >= 8 { _ = try? SafetensorsFile.parseHeader(buffer, path: "fuzz.safetensors") }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-fuzz-tokenizer-\(getpid()).json")
    guard (try? Data(buffer).write(to: path)) != nil else { return 0 }
    if let tokenizer = try? WordPieceTokenizer(contentsOf: path.path) {
        _ = tokenizer.encode("안녕하세요, Baton! unaffable 東京", maxLength: 32)
    }
    return 0
}

@_cdecl("FuzzSafetensors_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzSafetensors)
}
