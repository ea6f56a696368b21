/// A Microsoft compound file (OLE2, "[MS-CFB]"), the container of HWP 5.0 documents: the header,
/// the FAT found through the DIFAT, the mini-FAT and its mini-stream, and the directory walked
/// as a tree of storages and streams.
///
/// Every sector number is checked before it is used: a chain that comes round again, a sector
/// past the end of the file, a sector size other than the version's, or a stream larger than the
/// file is refused with the byte offset of the field that says so, so a damaged or hostile file
/// ends in a `DocumentError` rather than a loop or a read out of bounds.
public struct CompoundFile: Sendable {
    /// The root storage; its `children` are the top-level storages and streams.
    public private(set) var root: CompoundFileEntry
    let bytes: [UInt8]
    let file: String
    let limits: DocumentLimits
    /// Bytes per sector: 512 (version 3) or 4096 (version 4).
    let sectorSize: Int
    /// Sectors the file holds after the header (a last partial sector counts).
    let sectorCount: Int
    /// The sectors the FAT is made of, in order (where each FAT entry lives, for error offsets).
    let fatSectors: [UInt32]
    /// The next sector of every sector's chain.
    let fat: [UInt32]
    private(set) var miniFAT: [UInt32]
    /// The root entry's stream, which holds every stream under `miniCutoff` in 64-byte sectors.
    private(set) var miniStream: [UInt8]
    let miniCutoff: Int

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF
    static let noStream: UInt32 = 0xFFFF_FFFF
    static let miniSectorSize = 64

    public init(_ bytes: [UInt8], file: String, limits: DocumentLimits = .standard) throws(DocumentError) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
        guard bytes.count >= 512 else {
            throw DocumentError(file: file, .byteOffset(bytes.count), "the file ends inside the 512-byte compound-file header")
        }
        guard Array(bytes[0..<8]) == Self.signature else {
            throw DocumentError(file: file, .byteOffset(0), "not a compound file (OLE2): the signature is wrong")
        }
        let major = Self.uint16(bytes, 26)
        let shift = Int(Self.uint16(bytes, 30))
        switch (major, shift) {
        case (3, 9), (4, 12): break
        case (3, _), (4, _):
            throw DocumentError(file: file, .byteOffset(30), "sector shift \(shift) does not fit compound-file version \(major) (9 for version 3, 12 for version 4)")
        default:
            throw DocumentError(file: file, .byteOffset(26), "compound-file version \(major) is not 3 or 4")
        }
        guard Self.uint16(bytes, 32) == 6 else {
            throw DocumentError(file: file, .byteOffset(32), "mini sector shift \(Self.uint16(bytes, 32)) is not 6")
        }
        sectorSize = 1 << shift
        sectorCount = max(0, (bytes.count - sectorSize + sectorSize - 1) / sectorSize)
        miniCutoff = Int(Self.uint32(bytes, 56))
        guard miniCutoff == 4096 else {
            throw DocumentError(file: file, .byteOffset(56), "mini-stream cutoff \(miniCutoff) is not 4096")
        }
        fatSectors = try Self.fatSectorList(bytes, file: file, sectorSize: sectorSize, sectorCount: sectorCount)
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectors.count * sectorSize / 4)
        for (index, sector) in fatSectors.enumerated() {
            guard Int(sector) < sectorCount else {
                throw DocumentError(file: file, .byteOffset(index < 109 ? 76 + 4 * index : 0), "FAT sector \(index) is sector \(sector), past the end of the file (\(sectorCount) sectors)")
            }
            let start = (Int(sector) + 1) * sectorSize
            for entry in 0..<(sectorSize / 4) where start + 4 * entry + 4 <= bytes.count { fat.append(Self.uint32(bytes, start + 4 * entry)) }
        }
        self.fat = fat
        // Partially built so that `chain` can be used for the directory and the mini-FAT.
        root = CompoundFileEntry(name: "Root Entry", kind: .root, startSector: Self.endOfChain, size: 0, children: [], index: 0)
        miniFAT = []
        miniStream = []

        let directoryBytes = try read(chainFrom: Self.uint32(bytes, 48), size: nil, what: "the directory", from: 48)
        let miniFATBytes = try read(chainFrom: Self.uint32(bytes, 60), size: nil, what: "the mini-FAT", from: 60)
        miniFAT = stride(from: 0, to: miniFATBytes.count - 3, by: 4).map { Self.uint32(miniFATBytes, $0) }
        let directory = try CompoundFileDirectory(directoryBytes, file: file, version: major, limits: limits)
        var rootEntry = try directory.tree()
        guard rootEntry.size <= bytes.count else {
            throw DocumentError(file: file, .byteOffset(directory.offset(ofEntry: 0)), "the mini-stream claims \(rootEntry.size) bytes, more than the file's \(bytes.count)")
        }
        miniStream = try read(chainFrom: rootEntry.startSector, size: rootEntry.size, what: "the mini-stream", from: directory.offset(ofEntry: 0))
        rootEntry.kind = .root
        root = rootEntry
    }

    /// The entry at a path of storage names (`["BodyText", "Section0"]`), or nil.
    public func entry(_ path: [String]) -> CompoundFileEntry? {
        var current = root
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// A stream's bytes, from the mini-stream when it is smaller than the cutoff.
    public func read(_ entry: CompoundFileEntry) throws(DocumentError) -> [UInt8] {
        guard entry.kind == .stream else {
            throw DocumentError(file: file, "'\(entry.name)' is a storage, not a stream")
        }
        guard entry.size <= bytes.count, entry.size <= limits.maximumEntryBytes else {
            throw DocumentError(file: file, "stream '\(entry.name)' claims \(entry.size) bytes, more than the file's \(bytes.count)")
        }
        if entry.size < miniCutoff { return try readMini(entry) }
        return try read(chainFrom: entry.startSector, size: entry.size, what: "stream '\(entry.name)'", from: nil)
    }

    /// The bytes of a regular-sector chain: `size` of them, or every sector's when nil.
    /// `from` is the byte offset of the field holding the first sector (for errors).
    func read(chainFrom start: UInt32, size: Int?, what: String, from: Int?) throws(DocumentError) -> [UInt8] {
        let needed = size.map { ($0 + sectorSize - 1) / sectorSize }
        var output: [UInt8] = []
        output.reserveCapacity(size ?? 0)
        var visited = [Bool](repeating: false, count: sectorCount)
        var sector = start
        var pointer = from ?? 0
        var count = 0
        while sector != Self.endOfChain, needed.map({ count < $0 }) ?? true {
            guard Int(sector) < sectorCount, Int(sector) < fat.count else {
                throw DocumentError(file: file, .byteOffset(pointer), "\(what) runs to sector \(sector), past the end of the file (\(sectorCount) sectors)")
            }
            guard !visited[Int(sector)] else {
                throw DocumentError(file: file, .byteOffset(pointer), "\(what) has a cyclic FAT chain: sector \(sector) comes round again")
            }
            visited[Int(sector)] = true
            let start = (Int(sector) + 1) * sectorSize
            let take = min(sectorSize, bytes.count - start, size.map { $0 - output.count } ?? .max)
            output += bytes[start..<(start + take)]
            pointer = fatOffset(of: sector)
            sector = fat[Int(sector)]
            count += 1
        }
        if let size, output.count < size {
            throw DocumentError(file: file, .byteOffset(pointer), "\(what) ends after \(output.count) of its \(size) bytes")
        }
        return output
    }

    /// A small stream's bytes from the mini-stream, following the mini-FAT.
    func readMini(_ entry: CompoundFileEntry) throws(DocumentError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(entry.size)
        var visited = [Bool](repeating: false, count: miniFAT.count)
        var sector = entry.startSector
        while output.count < entry.size {
            let offset = Int(sector) * Self.miniSectorSize
            guard Int(sector) < miniFAT.count, offset < miniStream.count else {
                throw DocumentError(file: file, "stream '\(entry.name)' runs to mini sector \(sector), past the end of the mini-stream (\(miniStream.count / Self.miniSectorSize) sectors)")
            }
            guard !visited[Int(sector)] else {
                throw DocumentError(file: file, "stream '\(entry.name)' has a cyclic mini-FAT chain: mini sector \(sector) comes round again")
            }
            visited[Int(sector)] = true
            let take = min(Self.miniSectorSize, entry.size - output.count, miniStream.count - offset)
            output += miniStream[offset..<(offset + take)]
            sector = miniFAT[Int(sector)]
        }
        return output
    }

    /// Where the FAT entry of `sector` lives in the file.
    func fatOffset(of sector: UInt32) -> Int {
        let perSector = sectorSize / 4
        let index = Int(sector) / perSector
        guard index < fatSectors.count else { return 0 }
        return (Int(fatSectors[index]) + 1) * sectorSize + (Int(sector) % perSector) * 4
    }

    /// The FAT's sectors: the header's 109 DIFAT entries, then the DIFAT sector chain.
    static func fatSectorList(_ bytes: [UInt8], file: String, sectorSize: Int, sectorCount: Int) throws(DocumentError) -> [UInt32] {
        let count = Int(uint32(bytes, 44))
        guard count <= sectorCount else {
            throw DocumentError(file: file, .byteOffset(44), "the header counts \(count) FAT sectors in a file of \(sectorCount) sectors")
        }
        var sectors: [UInt32] = []
        for index in 0..<min(count, 109) { sectors.append(uint32(bytes, 76 + 4 * index)) }
        var next = uint32(bytes, 68)
        var pointer = 68
        var visited = Set<UInt32>()
        while sectors.count < count {
            guard Int(next) < sectorCount else {
                throw DocumentError(file: file, .byteOffset(pointer), "the DIFAT runs to sector \(next), past the end of the file (\(sectorCount) sectors)")
            }
            guard visited.insert(next).inserted else {
                throw DocumentError(file: file, .byteOffset(pointer), "the DIFAT chain is cyclic: sector \(next) comes round again")
            }
            let start = (Int(next) + 1) * sectorSize
            guard start + sectorSize <= bytes.count else {
                throw DocumentError(file: file, .byteOffset(start), "the file ends inside DIFAT sector \(next)")
            }
            let perSector = sectorSize / 4 - 1
            for index in 0..<perSector where sectors.count < count { sectors.append(uint32(bytes, start + 4 * index)) }
            pointer = start + 4 * perSector
            next = uint32(bytes, pointer)
        }
        return sectors
    }

    static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
