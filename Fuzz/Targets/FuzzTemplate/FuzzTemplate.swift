import FuzzDriver
import Template

/// Parses the input as a template and renders it under a small budget: any input must end in a
/// result or a `TemplateError`, never a trap, an out-of-bounds read or a runaway render.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let budget = RenderBudget(outputBytes: 1 << 16, items: 10_000, steps: 20_000, seconds: 1)
    let context: [String: Value] = ["name": .string("김민지"), "items": .list([.int(1), .string("a"), .double(2.5)]),
                                    "n": .int(-9223372036854775807 - 1), "d": .dict(["k": .string("v")])]
    guard let template = try? Template(source, name: "fuzz.j2") else { return 0 }
    _ = try? template.render(context, budget: budget)
    return 0
}

@_cdecl("FuzzTemplate_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzTemplate)
}
