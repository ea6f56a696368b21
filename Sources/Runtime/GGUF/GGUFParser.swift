/// Parses and validates the header, metadata and tensor infos of a GGUF file.
///
/// Layout (little-endian): magic "GGUF", version u32, tensor count u64, metadata count u64,
/// metadata (key string, value type u32, value), tensor infos (name string, n_dims u32, dims u64
/// each, type u32, offset u64 relative to the data section), padding to `general.alignment`,
/// then the tensor data.
enum GGUFParser {
    struct Parsed {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataOrder: [String]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// ggml's limit on tensor dimensions (GGML_MAX_DIMS).
    static let maxDimensions: UInt32 = 4
    /// The fewest bytes one metadata entry takes (empty key, type, one-byte value).
    static let minimumEntrySize: UInt64 = 13
    /// The fewest bytes one tensor info takes (empty name, n_dims 0, type, offset).
    static let minimumTensorInfoSize: UInt64 = 24

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(RuntimeError) -> Parsed {
        var reader = GGUFReader(bytes: bytes, file: file)
        guard bytes.count >= 4 else {
            throw reader.error("file is \(bytes.count) bytes long, too short for a GGUF file (expected magic 'GGUF')")
        }
        let magic = (0..<4).map { bytes[$0] }
        guard magic == Array("GGUF".utf8) else {
            let shown = magic.map { byte in hex(byte) }.joined(separator: " ")
            throw reader.error("not a GGUF file: expected magic 'GGUF' (47 47 55 46), found \(shown)")
        }
        reader.offset = 4
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            let hint = version.byteSwapped == 2 || version.byteSwapped == 3 ? " (a big-endian file?)" : ""
            throw reader.error("unsupported GGUF version \(version), expected 2 or 3\(hint)", at: 4)
        }
        let tensorCountOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let entryCountOffset = reader.offset
        let entryCount = try reader.read(UInt64.self, "metadata entry count")
        guard entryCount <= UInt64(reader.remaining) / minimumEntrySize else {
            throw reader.error("metadata entry count \(entryCount) is impossible: only \(reader.remaining) bytes are left in the file", at: entryCountOffset)
        }
        guard tensorCount <= UInt64(reader.remaining) / minimumTensorInfoSize else {
            throw reader.error("tensor count \(tensorCount) is impossible: only \(reader.remaining) bytes are left in the file", at: tensorCountOffset)
        }

        var metadata: [String: GGUFValue] = [:]
        var order: [String] = []
        var valueOffsets: [String: Int] = [:]
        order.reserveCapacity(Int(entryCount))
        for index in 0..<Int(entryCount) {
            let keyOffset = reader.offset
            let key = try reader.readString("key of metadata entry \(index)")
            guard metadata[key] == nil else {
                throw reader.error("duplicate metadata key '\(key)'", at: keyOffset)
            }
            let type = try reader.read(UInt32.self, "value type of '\(key)'")
            valueOffsets[key] = reader.offset
            metadata[key] = try reader.readValue(type: type, key: key)
            order.append(key)
        }

        var alignment = 32
        if let value = metadata["general.alignment"] {
            let at = valueOffsets["general.alignment"] ?? 0
            guard case .uint32(let a) = value else {
                throw reader.error("general.alignment must be a u32, found \(value.typeName)", at: at)
            }
            guard a != 0, a & (a - 1) == 0 else {
                throw reader.error("general.alignment is \(a), expected a power of two", at: at)
            }
            alignment = Int(a)
        }

        var tensors: [GGUFTensorInfo] = []
        var relativeOffsets: [(offset: UInt64, at: Int)] = []
        var names: Set<String> = []
        tensors.reserveCapacity(Int(tensorCount))
        for index in 0..<Int(tensorCount) {
            let info = try readTensorInfo(&reader, index: index)
            guard names.insert(info.tensor.name).inserted else {
                throw reader.error("duplicate tensor name '\(info.tensor.name)'", at: info.start)
            }
            tensors.append(info.tensor)
            relativeOffsets.append((info.relativeOffset, info.offsetAt))
        }

        let infosEnd = reader.offset
        let (padded, overflow) = infosEnd.addingReportingOverflow(alignment - 1)
        let dataOffset = overflow ? Int.max : padded & ~(alignment - 1)
        if !tensors.isEmpty, dataOffset > bytes.count {
            throw reader.error("tensor data section would start at byte \(dataOffset) (alignment \(alignment)), past the end of the \(bytes.count)-byte file", at: infosEnd)
        }
        for i in tensors.indices {
            let (relative, at) = relativeOffsets[i]
            let name = tensors[i].name
            guard relative % UInt64(alignment) == 0 else {
                throw reader.error("tensor '\(name)' has data offset \(relative), expected a multiple of the alignment \(alignment)", at: at)
            }
            let available = UInt64(bytes.count - dataOffset)
            guard relative <= available, UInt64(tensors[i].byteCount) <= available - relative else {
                throw reader.error("tensor '\(name)' has \(tensors[i].byteCount) bytes at data offset \(relative), past the end of the \(available)-byte data section", at: at)
            }
            tensors[i].offset = dataOffset + Int(relative)
        }
        let byStart = tensors.indices.sorted { tensors[$0].offset < tensors[$1].offset }
        for (a, b) in zip(byStart, byStart.dropFirst()) where tensors[a].offset + tensors[a].byteCount > tensors[b].offset {
            throw reader.error("tensor '\(tensors[b].name)' overlaps the data of tensor '\(tensors[a].name)'", at: relativeOffsets[b].at)
        }
        return Parsed(version: version, metadata: metadata, metadataOrder: order, tensors: tensors,
                      alignment: alignment, dataOffset: dataOffset)
    }

    /// Reads one tensor info and checks its shape and type; the offset is validated later,
    /// once the data section's start is known.
    private static func readTensorInfo(_ reader: inout GGUFReader, index: Int) throws(RuntimeError)
        -> (tensor: GGUFTensorInfo, relativeOffset: UInt64, start: Int, offsetAt: Int) {
        let start = reader.offset
        let name = try reader.readString("name of tensor \(index)")
        let dimsAt = reader.offset
        let dimensionCount = try reader.read(UInt32.self, "dimension count of tensor '\(name)'")
        guard dimensionCount <= maxDimensions else {
            throw reader.error("tensor '\(name)' has \(dimensionCount) dimensions, expected at most \(maxDimensions)", at: dimsAt)
        }
        var shape: [Int] = []
        var elements: Int64 = 1
        for d in 0..<Int(dimensionCount) {
            let at = reader.offset
            let raw = try reader.read(UInt64.self, "dimension \(d) of tensor '\(name)'")
            guard raw <= UInt64(Int64.max) else {
                throw reader.error("tensor '\(name)' has dimension \(d) of \(raw), expected at most \(Int64.max)", at: at)
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int64(raw))
            guard !overflow else {
                throw reader.error("tensor '\(name)' has shape \((shape + [Int(raw)]).map(String.init).joined(separator: "x")) whose element count overflows 64 bits", at: at)
            }
            elements = product
            shape.append(Int(raw))
        }
        let typeAt = reader.offset
        let typeID = try reader.read(UInt32.self, "type of tensor '\(name)'")
        guard let type = GGMLType(rawValue: typeID) else {
            if let known = GGMLType.ggmlName(typeID) {
                throw reader.error("tensor '\(name)' has type \(known) (\(typeID)), which Baton does not support (supported: \(GGMLType.supportedNames))", at: typeAt)
            }
            throw reader.error("tensor '\(name)' has unknown type id \(typeID)", at: typeAt)
        }
        let rowLength = shape.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw reader.error("tensor '\(name)' of type \(type.name) has \(rowLength) elements per row, expected a multiple of the block size \(type.blockSize)", at: dimsAt)
        }
        let blocks = Int(elements) / type.blockSize
        let (byteCount, overflow) = blocks.multipliedReportingOverflow(by: type.typeSize)
        guard !overflow else {
            throw reader.error("tensor '\(name)' would take more than \(Int.max) bytes", at: dimsAt)
        }
        let offsetAt = reader.offset
        let relative = try reader.read(UInt64.self, "data offset of tensor '\(name)'")
        let tensor = GGUFTensorInfo(name: name, type: type, shape: shape, offset: 0, byteCount: byteCount)
        return (tensor, relative, start, offsetAt)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
