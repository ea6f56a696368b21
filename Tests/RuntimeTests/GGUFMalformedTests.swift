import Foundation
import Base
import Testing
import TestSupport
@testable import Runtime

/// The malformed GGUF fixtures (written by Fixtures/make_malformed_gguf.py) and their location.
enum MalformedFixtures {
    static var directory: URL {
        let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return fixtures.appendingPathComponent("malformed")
    }
    static func path(_ name: String) -> String { directory.appendingPathComponent(name + ".gguf").path }
}

/// Each malformed file, the byte offset the error names and the exact message.
let malformedCases: [(file: String, offset: Int, message: String)] = [
    ("alignment_not_power_of_two", 98, "general.alignment is 48, expected a power of two"),
    ("alignment_not_u32", 98, "general.alignment must be a u32, found i32"),
    ("alignment_zero", 98, "general.alignment is 0, expected a power of two"),
    ("arrays_nested_too_deep", 136, "'deep' nests arrays more than 8 deep"),
    ("bad_magic", 0, "not a GGUF file: expected magic 'GGUF' (47 47 55 46), found 47 47 4D 4C"),
    ("bool_not_0_or_1", 424, "'tiny.flag' is a bool stored as 2, expected 0 or 1"),
    ("duplicate_key", 559, "duplicate metadata key 'tiny.text'"),
    ("duplicate_tensor_name", 645, "duplicate tensor name 'a'"),
    ("empty", 0, "file is 0 bytes long, too short for a GGUF file (expected magic 'GGUF')"),
    ("huge_alignment", 719, "tensor data section would start at byte 2147483648 (alignment 2147483648), past the end of the 928-byte file"),
    ("huge_array_count", 521, "array 'tiny.words' claims 4611686018427387904 elements, but only 399 bytes are left in the file"),
    ("huge_key_length", 24, "key of metadata entry 0 has length 18446744073709551615, but only 896 bytes are left in the file"),
    ("huge_metadata_count", 16, "metadata entry count 1152921504606846976 is impossible: only 904 bytes are left in the file"),
    ("huge_string_length", 472, "value of 'tiny.text' has length 1125899906842624, but only 448 bytes are left in the file"),
    ("huge_tensor_count", 8, "tensor count 1099511627776 is impossible: only 904 bytes are left in the file"),
    ("invalid_utf8_key", 146, "key of metadata entry 3 is not valid UTF-8"),
    ("invalid_utf8_string", 480, "value of 'tiny.text' is not valid UTF-8"),
    ("misaligned_offset", 670, "tensor 'b' has data offset 72, expected a multiple of the alignment 32"),
    ("negative_dimension", 658, "tensor 'b' has dimension 0 of 9223372036854775808, expected at most 9223372036854775807"),
    ("nested_array_count_too_big", 203, "array 'tiny.nested' claims 1099511627776 elements, but only 717 bytes are left in the file"),
    ("offset_overflow", 711, "tensor 'c' has 34 bytes at data offset 18446744073709551584, past the end of the 192-byte data section"),
    ("offset_past_end", 711, "tensor 'c' has 34 bytes at data offset 1048576, past the end of the 192-byte data section"),
    ("overlapping_tensors", 711, "tensor 'c' overlaps the data of tensor 'b'"),
    ("row_not_multiple_of_block", 613, "tensor 'a' of type q8_0 has 8 elements per row, expected a multiple of the block size 32"),
    ("shape_overflow", 625, "tensor 'a' has shape 1099511627776x1099511627776 whose element count overflows 64 bits"),
    ("shape_too_big_for_file", 670, "tensor 'b' has 2147483648 bytes at data offset 64, past the end of the 192-byte data section"),
    ("too_many_dimensions", 613, "tensor 'a' has 5 dimensions, expected at most 4"),
    ("truncated_in_array", 521, "array 'tiny.words' claims 3 elements, but only 8 bytes are left in the file"),
    ("truncated_in_header", 8, "unexpected end of file: expected 8 bytes (tensor count), 6 left"),
    ("truncated_in_key", 375, "key of metadata entry 11 has length 8, but only 4 bytes are left in the file"),
    ("truncated_in_string_value", 472, "value of 'tiny.text' has length 15, but only 2 bytes are left in the file"),
    ("truncated_in_tensor_data", 711, "tensor 'c' has 34 bytes at data offset 128, past the end of the 152-byte data section"),
    ("truncated_in_tensor_infos", 658, "unexpected end of file: expected 8 bytes (dimension 0 of tensor 'b'), 3 left"),
    ("unknown_array_element_type", 517, "array 'tiny.words' has unknown element type 77, expected 0...12"),
    ("unknown_tensor_type", 633, "tensor 'a' has unknown type id 99"),
    ("unknown_value_type", 156, "'tiny.count' has unknown value type 13, expected 0...12"),
    ("unsupported_tensor_type", 633, "tensor 'a' has type iq2_xs (17), which Baton does not support (supported: f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q2_K, q3_K, q4_K, q5_K, q6_K, iq4_nl, bf16)"),
    ("version_1", 4, "unsupported GGUF version 1, expected 2 or 3"),
    ("version_big_endian", 4, "unsupported GGUF version 50331648, expected 2 or 3 (a big-endian file?)")
]

@Test(arguments: malformedCases)
func malformedFileGivesItsError(file: String, offset: Int, message: String) {
    let path = MalformedFixtures.path(file)
    do {
        _ = try GGUFFile(path: path)
        Issue.record("\(file).gguf opened without an error")
    } catch {
        #expect(error.file == path)
        #expect(error.offset == offset)
        #expect(error.message == message)
        #expect(error.description == "\(path): error: \(message) (at byte \(offset))")
    }
}

@Test func everyMalformedFixtureIsInTheTable() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: MalformedFixtures.directory.path)
        .filter { $0.hasSuffix(".gguf") }.map { String($0.dropLast(5)) }
    #expect(Set(names) == Set(malformedCases.map(\.file) + ["valid", "valid_version_2", "valid_nested_8_deep"]))
    #expect(malformedCases.count >= 20)
}

@Test func validBaseFileReadsEveryValueAndTensor() throws {
    let file = try GGUFFile(path: MalformedFixtures.path("valid"))
    #expect(file.version == 3)
    #expect(file.alignment == 32)
    #expect(file.metadataOrder == ["general.architecture", "general.alignment", "general.name", "tiny.count",
                                   "tiny.nested", "tiny.u8", "tiny.i8", "tiny.u16", "tiny.i16", "tiny.u64", "tiny.i64",
                                   "tiny.f64", "tiny.flag", "tiny.scale", "tiny.text", "tiny.words", "tiny.ints"])
    #expect(file.metadata["tiny.count"] == .uint32(7))
    #expect(file.metadata["tiny.nested"] == .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])]))
    #expect(file.metadata["tiny.u8"] == .uint8(200))
    #expect(file.metadata["tiny.i8"] == .int8(-5))
    #expect(file.metadata["tiny.u16"] == .uint16(60000))
    #expect(file.metadata["tiny.i16"] == .int16(-30000))
    #expect(file.metadata["tiny.u64"] == .uint64(1 << 63))
    #expect(file.int("tiny.u64") == nil)  // does not fit an Int
    #expect(file.metadata["tiny.i64"] == .int64(-(1 << 40)))
    #expect(file.metadata["tiny.f64"] == .float64(0.25))
    #expect(file.float("tiny.f64") == 0.25)
    #expect(file.bool("tiny.flag") == true)
    #expect(file.float("tiny.scale") == 0.5)
    #expect(file.string("tiny.text") == "안녕하세요")
    #expect(file.strings("tiny.words") == ["a", "bb", "ccc"])
    #expect(file.ints("tiny.ints") == [1, 2, 3])
    #expect(file.tensors.map(\.name) == ["a", "b", "c"])
    #expect(file.tensors.map(\.type) == [.f32, .f16, .q8_0])
    #expect(file.tensors.map(\.shape) == [[8, 2], [32], [32, 1]])
    #expect(file.tensors.map(\.offset) == [736, 800, 864])
    #expect(file.dataOffset == 736)
    #expect(file.tensors.map(\.byteCount) == [64, 64, 34])
    let a = try #require(file.tensor(named: "a"))
    let values = file.data(for: a).withMemoryRebound(to: Float.self) { Array($0) }
    #expect(values == (0..<16).map(Float.init))
}

@Test func version2AndEightLevelsOfNestingAreAccepted() throws {
    let v2 = try GGUFFile(path: MalformedFixtures.path("valid_version_2"))
    #expect(v2.version == 2)
    #expect(v2.tensors.count == 3)
    let nested = try GGUFFile(path: MalformedFixtures.path("valid_nested_8_deep"))
    var value = try #require(nested.metadata["deep"])
    var depth = 0
    while case .array(let elements) = value, let first = elements.first { value = first; depth += 1 }
    #expect(depth == 8)
    #expect(value == .uint32(7))
}

@Test func aDirectoryIsNotAModel() {
    let path = MalformedFixtures.directory.path
    #expect(throws: RuntimeError(file: path, offset: 0, message: "not a regular file")) { try GGUFFile(path: path) }
}

@Test func missingFileNamesThePath() {
    #expect(throws: RuntimeError(file: "/nonexistent/model.gguf", offset: 0, message: "cannot open the file: No such file or directory")) {
        try GGUFFile(path: "/nonexistent/model.gguf")
    }
}

/// Truncating the valid file at every offset, and flipping every bit of its header and metadata
/// and many seeded random bits elsewhere, must give a `RuntimeError` or a valid file: never a crash.
@Test func truncationsAndBitFlipsNeverCrash() throws {
    let base = Array(try Data(contentsOf: URL(fileURLWithPath: MalformedFixtures.path("valid"))))
    var errors = 0, opened = 0
    func attempt(_ bytes: [UInt8]) {
        do {
            let file = try GGUFFile(bytes: bytes, name: "fuzz.gguf")
            for tensor in file.tensors {
                let data = file.data(for: tensor)
                #expect(data.count == tensor.byteCount)
                #expect(tensor.offset % file.alignment == 0 && tensor.offset + tensor.byteCount <= bytes.count)
            }
            opened += 1
        } catch { errors += 1 }
    }
    for length in 0..<base.count { attempt(Array(base[..<length])) }
    let dataStart = 736
    for bit in 0..<(dataStart * 8) {
        var copy = base
        copy[bit / 8] ^= UInt8(1 << (bit % 8))
        attempt(copy)
    }
    var rng = SeededGenerator(seed: 42)
    for _ in 0..<2000 {
        var copy = base
        for _ in 0..<Int(rng.next() % 4 + 1) {
            let position = Int(rng.next() % UInt64(dataStart))
            copy[position] = UInt8(truncatingIfNeeded: rng.next())
        }
        attempt(copy)
    }
    #expect(errors > base.count)
    #expect(opened > 0)
}


/// Block sizes, bytes per block and names agree with ggml's table as the `gguf` package has it
/// (Fixtures/ggml_types.json, written by make_malformed_gguf.py).
@Test func ggmlTypeTableMatchesGGML() throws {
    let url = MalformedFixtures.directory.deletingLastPathComponent().appendingPathComponent("ggml_types.json")
    let table = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [Int]])
    for type in GGMLType.allCases {
        #expect(table[type.name.lowercased()] == [Int(type.rawValue), type.blockSize, type.typeSize], "\(type)")
    }
    for (name, row) in table {
        #expect(GGMLType.ggmlName(UInt32(row[0]))?.lowercased() == name, "type \(row[0])")
    }
}
