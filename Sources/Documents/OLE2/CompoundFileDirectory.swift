/// The directory stream of a compound file: 128-byte entries whose left/right sibling and child
/// numbers form a red-black tree per storage. `tree()` walks it from the root entry into nested
/// `CompoundFileEntry` values, refusing a sibling or child number out of range and an entry
/// reached twice (a cycle), so a hostile directory cannot loop.
struct CompoundFileDirectory {
    let bytes: [UInt8]
    let file: String
    let version: UInt16
    let limits: DocumentLimits
    /// Where the directory's first byte is; entry offsets are reported relative to the stream.
    static let entrySize = 128
    static let none: UInt32 = 0xFFFF_FFFF

    init(_ bytes: [UInt8], file: String, version: UInt16, limits: DocumentLimits) throws(DocumentError) {
        self.bytes = bytes
        self.file = file
        self.version = version
        self.limits = limits
        guard bytes.count >= Self.entrySize else {
            throw DocumentError(file: file, "the compound-file directory holds no entry")
        }
        guard count <= limits.maximumEntries else {
            throw DocumentError(file: file, "the compound-file directory holds \(count) entries, more than the limit of \(limits.maximumEntries)")
        }
    }

    var count: Int { bytes.count / Self.entrySize }

    /// The byte offset of an entry inside the directory stream (errors name "directory entry N").
    func offset(ofEntry index: Int) -> Int { index * Self.entrySize }

    /// The root entry with every storage's children filled in.
    func tree() throws(DocumentError) -> CompoundFileEntry {
        var visited = [Bool](repeating: false, count: count)
        visited[0] = true
        var root = try entry(0)
        guard CompoundFile.uint16(bytes, 64) > 0, bytes[66] == 5 else {
            throw DocumentError(file: file, "directory entry 0 is not the root storage (type \(bytes[66]))")
        }
        root.children = try children(of: 0, visited: &visited, depth: 1)
        return root
    }

    /// The entries under storage `index`: an in-order walk of the tree its child number starts.
    private func children(of index: Int, visited: inout [Bool], depth: Int) throws(DocumentError) -> [CompoundFileEntry] {
        guard depth <= limits.maximumDepth else {
            throw DocumentError(file: file, "compound-file storages nest deeper than \(limits.maximumDepth) levels")
        }
        var result: [CompoundFileEntry] = []
        var stack: [Int] = []
        var node = try link(CompoundFile.uint32(bytes, offset(ofEntry: index) + 76), from: index, visited: &visited)
        while node != nil || !stack.isEmpty {
            while let current = node {
                stack.append(current)
                node = try link(CompoundFile.uint32(bytes, offset(ofEntry: current) + 68), from: current, visited: &visited)
            }
            guard let current = stack.popLast() else { break }
            var child = try entry(current)
            if child.kind == .storage { child.children = try children(of: current, visited: &visited, depth: depth + 1) }
            result.append(child)
            node = try link(CompoundFile.uint32(bytes, offset(ofEntry: current) + 72), from: current, visited: &visited)
        }
        return result
    }

    /// The entry a sibling or child field names (nil for none), marked as visited.
    private func link(_ value: UInt32, from: Int, visited: inout [Bool]) throws(DocumentError) -> Int? {
        guard value != Self.none else { return nil }
        guard Int(value) < count else {
            throw DocumentError(file: file, "directory entry \(from) links to entry \(value), past the directory's \(count) entries")
        }
        guard !visited[Int(value)] else {
            throw DocumentError(file: file, "directory entry \(from) links to entry \(value) a second time (a cycle in the directory tree)")
        }
        visited[Int(value)] = true
        return Int(value)
    }

    /// One entry's fields (without children).
    private func entry(_ index: Int) throws(DocumentError) -> CompoundFileEntry {
        let at = offset(ofEntry: index)
        let nameLength = Int(CompoundFile.uint16(bytes, at + 64))
        guard nameLength <= 64, nameLength % 2 == 0 else {
            throw DocumentError(file: file, "directory entry \(index) has a name length of \(nameLength) bytes (at most 64, even)")
        }
        var units: [UInt16] = []
        for unit in 0..<max(0, nameLength / 2 - 1) { units.append(CompoundFile.uint16(bytes, at + 2 * unit)) }
        let kind: CompoundFileEntry.Kind
        switch bytes[at + 66] {
        case 1: kind = .storage
        case 2: kind = .stream
        case 5: kind = .root
        default:
            throw DocumentError(file: file, "directory entry \(index) has object type \(bytes[at + 66]) (not a storage or a stream)")
        }
        var size = UInt64(CompoundFile.uint32(bytes, at + 120))
        if version == 4 { size |= UInt64(CompoundFile.uint32(bytes, at + 124)) << 32 }
        return CompoundFileEntry(name: String(decoding: units, as: UTF16.self), kind: kind,
                                 startSector: CompoundFile.uint32(bytes, at + 116), size: size > UInt64(Int.max >> 1) ? Int.max >> 1 : Int(size),
                                 children: [], index: index)
    }
}
