import Foundation
import Testing
import TestSupport
@testable import Retrieval

/// Writes a safetensors file from a header JSON string and data bytes into a temporary directory.
func writeSafetensors(header: String, data: [UInt8], declaredLength: UInt64? = nil, name: String = #function) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("model.safetensors").path
    var bytes: [UInt8] = []
    let length = declaredLength ?? UInt64(header.utf8.count)
    withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: Array(header.utf8))
    bytes.append(contentsOf: data)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

private func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite struct SafetensorsTests {
    @Test func readsF32F16AndBF16() throws {
        let f16: [UInt8] = [Float16(1.5), Float16(-2)].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        let bf16: [UInt8] = [Float(3.0), Float(-0.5)].flatMap { v in withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { Array($0) } }
        let header = """
            {"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},\
            "b":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"c":{"dtype":"BF16","shape":[2],"data_offsets":[20,24]}}
            """
        let path = try writeSafetensors(header: header, data: floatBytes([1, 2, 3, 4]) + f16 + bf16)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(try file.floats("a", shape: [2, 2]) == [1, 2, 3, 4])
        #expect(try file.floats("b") == [1.5, -2])
        #expect(try file.floats("c") == [3, -0.5])
        #expect(throws: SafetensorsError(path: path, offset: 8 + header.utf8.count,
                                         message: "tensor 'a' has shape [2, 2], expected [4]")) {
            try file.floats("a", shape: [4])
        }
        #expect(throws: SafetensorsError(path: path, message: "no tensor named 'z'")) { try file.floats("z") }
    }

    static let badHeaders: [(header: String, data: Int, message: String)] = [
        ("[1,2]", 0, "header is not a JSON object"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8, "header is not a JSON object"),
        ("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a': unknown dtype 'Q4'"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8,
         "tensor 'a': data_offsets [0, 16] run past the end of the data (8 bytes)"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
         "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "tensor 'a': data_offsets [8, 0] are not in order"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8,
         "tensor 'a': shape [-1] has a dimension that is not a non-negative integer"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8,
         "tensor 'a': shape [4294967296, 4294967296] is larger than the file"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a': data_offsets must be two integers"),
    ]

    @Test(arguments: badHeaders)
    func rejectsBadHeaders(_ bad: (header: String, data: Int, message: String)) throws {
        let path = try writeSafetensors(header: bad.header, data: [UInt8](repeating: 0, count: bad.data))
        #expect(throws: SafetensorsError(path: path, offset: 8, message: bad.message)) { try SafetensorsFile(path: path) }
    }

    @Test func rejectsAbsurdAndTruncatedHeaderLengths() throws {
        let absurd = try writeSafetensors(header: "{}", data: [], declaredLength: 1 << 40)
        #expect(throws: SafetensorsError(path: absurd, offset: 0,
                                         message: "header length 1099511627776 exceeds the limit of 104857600 bytes")) {
            try SafetensorsFile(path: absurd)
        }
        let truncated = try writeSafetensors(header: "{}", data: [], declaredLength: 1000)
        #expect(throws: SafetensorsError(path: truncated, offset: 0,
                                         message: "header length 1000 runs past the end of the file (10 bytes)")) {
            try SafetensorsFile(path: truncated)
        }
        let tiny = try writeSafetensors(header: "", data: [], declaredLength: 0)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: tiny))
        #expect(throws: SafetensorsError(path: tiny, offset: 0, message: "file is 3 bytes, too short for the 8-byte header length")) {
            try SafetensorsFile(path: tiny)
        }
        #expect(throws: SafetensorsError(path: "/nonexistent/x.safetensors", message: "cannot open: No such file or directory")) {
            try SafetensorsFile(path: "/nonexistent/x.safetensors")
        }
    }

    @Test(.requiresMiniLM) func truncatedRealModelIsRefused() throws {
        let model = try #require(ReferenceModels.miniLM)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: model + "/model.safetensors"))
        let prefix = try handle.read(upToCount: 1 << 20) ?? Data()
        let path = try writeSafetensors(header: "", data: [])
        try prefix.write(to: URL(fileURLWithPath: path))
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: path) }
        let full = try SafetensorsFile(path: model + "/model.safetensors")
        #expect(full.tensor(named: "embeddings.word_embeddings.weight")?.shape == [30522, 384])
    }
}
