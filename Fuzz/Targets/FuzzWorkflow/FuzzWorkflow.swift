import FuzzDriver
import Foundation
import Workflow

/// Loads the input as a workflow file (YAML, then the workflow model, template references and
/// the dependency graph): a workflow or diagnostics with line:column, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkflow(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? WorkflowLoader.load(bytes: Data(UnsafeBufferPointer(start: data, count: size)), file: "fuzz.yaml")
    return 0
}

@_cdecl("FuzzWorkflow_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzWorkflow)
}
