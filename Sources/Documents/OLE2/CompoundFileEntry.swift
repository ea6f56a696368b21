/// One entry of a compound file's directory: a storage (a folder) or a stream (a file), with the
/// entries a storage holds already walked out of the directory's red-black tree, in tree order.
public struct CompoundFileEntry: Sendable, Equatable {
    /// What a directory entry is.
    public enum Kind: Sendable, Equatable { case root, storage, stream }

    public var name: String
    public var kind: Kind
    /// The stream's first sector (in the FAT, or in the mini-FAT when `size` is under the cutoff).
    public var startSector: UInt32
    /// The stream's size in bytes.
    public var size: Int
    /// The entries of a storage (or of the root), in the directory tree's in-order sequence.
    public var children: [CompoundFileEntry]
    /// The entry's index in the directory (errors name it).
    public var index: Int

    /// The child called `name` (compound-file names compare without regard to case).
    public func child(_ name: String) -> CompoundFileEntry? {
        let wanted = name.lowercased()
        return children.first { $0.name.lowercased() == wanted }
    }
}
