import FuzzDriver
import Runtime

/// Loads the input as a GGUF model (header, metadata, tensor table, tokenizer, configuration)
/// and, when it loads, runs one forward step of one token: logits or a `ModelError` (a corrupt
/// value named), never a trap or a read out of bounds. Seeds: the tiny reference models.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? GGUFFile(bytes: bytes, name: "fuzz.gguf") else { return 0 }
    _ = try? Tokenizer(file: file)
    guard let model = try? TransformerModel(file: file, contextLength: 8, threads: 1, batch: 4) else { return 0 }
    _ = try? model.forward([1])
    return 0
}

@_cdecl("FuzzGGUF_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzGGUF)
}
