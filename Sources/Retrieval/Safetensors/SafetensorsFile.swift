import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A safetensors file mapped into memory, its header parsed and every tensor's offsets and
/// byte count checked against the file size, so later reads cannot go out of bounds.
///
/// Layout: 8 bytes little-endian header length N, N bytes of JSON
/// (`{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`),
/// then the data; offsets are relative to the end of the header.
public final class SafetensorsFile: @unchecked Sendable {
    // @unchecked Sendable: the mapping is read-only and lives until deinit; nothing mutates.

    /// The path given to `init`.
    public let path: String
    /// The `__metadata__` string map (may be empty).
    public let metadata: [String: String]
    /// Every tensor, in the order of their data offsets.
    public let tensors: [SafetensorsTensor]
    /// The file's size in bytes.
    public let fileSize: Int

    private let base: UnsafeRawPointer?
    private let byName: [String: Int]

    /// Headers larger than this are refused before they are read: real ones are a few hundred KB.
    public static let maximumHeaderLength = 100 << 20

    /// Maps and validates the file; throws on any inconsistency, naming the byte offset.
    public init(path: String) throws(SafetensorsError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw SafetensorsError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError(path: path, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        fileSize = size
        guard size >= 8 else {
            throw SafetensorsError(path: path, offset: 0, message: "file is \(size) bytes, too short for the 8-byte header length")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw SafetensorsError(path: path, message: "cannot map: \(String(cString: strerror(errno)))")
        }
        let bytes = UnsafeRawBufferPointer(start: mapped, count: size)
        do {
            let parsed = try Self.parseHeader(bytes, path: path)
            metadata = parsed.metadata
            tensors = parsed.tensors
        } catch {
            munmap(mapped, size)
            throw error
        }
        base = UnsafeRawPointer(mapped)
        byName = Dictionary(tensors.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), fileSize) }
    }

    /// The tensor with this name, if the file has one.
    public func tensor(named name: String) -> SafetensorsTensor? {
        byName[name].map { tensors[$0] }
    }

    /// The tensor's bytes; bounds were checked when the file was opened.
    public func data(for tensor: SafetensorsTensor) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + tensor.offset }, count: tensor.byteCount)
    }

    /// The named tensor converted to Float (from F32, F16 or BF16), checking its shape.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws(SafetensorsError) -> [Float] {
        guard let tensor = tensor(named: name) else {
            throw SafetensorsError(path: path, message: "no tensor named '\(name)'")
        }
        if let expected, expected != tensor.shape {
            throw SafetensorsError(path: path, offset: tensor.offset,
                                   message: "tensor '\(name)' has shape \(tensor.shape), expected \(expected)")
        }
        let raw = data(for: tensor)
        let count = tensor.elementCount
        switch tensor.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0, let destination = buffer.baseAddress, let source = raw.baseAddress {
                    memcpy(destination, source, count * 4)
                }
                initialized = count
            }
        case .f16:
            return (0..<count).map { Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map { Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) << 16) }
        default:
            throw SafetensorsError(path: path, offset: tensor.offset,
                                   message: "tensor '\(name)' has dtype \(tensor.dtype.rawValue), not a float type")
        }
    }
}
