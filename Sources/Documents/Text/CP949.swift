import Foundation

/// CP949 (Unified Hangul Code, Windows code page 949), what Korean Windows and Excel save text
/// and CSV files in; EUC-KR is its subset. Single bytes below 0x80 are ASCII; a lead byte
/// 0x81-0xFE and a trail byte 0x41-0xFE form one character when `CP949Table` maps the pair.
enum CP949 {
    /// The inflated table (lead-major, 190 trails per lead), built once.
    static let table: [UInt16] = {
        guard let packed = Data(base64Encoded: CP949Table.packed, options: .ignoreUnknownCharacters),
              let grid = try? Inflate.zlib([UInt8](packed)) else { return [] }
        var table = [UInt16](repeating: 0, count: grid.count / 2)
        for index in table.indices { table[index] = UInt16(grid[2 * index]) | UInt16(grid[2 * index + 1]) << 8 }
        return table
    }()

    /// The decoded text and whether it needed CP949's extension area (outside EUC-KR); or the
    /// offset of the first byte that starts no character.
    static func decode(_ bytes: ArraySlice<UInt8>) -> Result<(text: String, extended: Bool), DecodeFailure> {
        let table = self.table
        let trails = Int(CP949Table.trailRange.upperBound - CP949Table.trailRange.lowerBound) + 1
        var scalars = String.UnicodeScalarView()
        var extended = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead < 0x80 {
                scalars.append(Unicode.Scalar(lead))
                index += 1
                continue
            }
            guard CP949Table.leadRange.contains(lead), index + 1 < bytes.endIndex, CP949Table.trailRange.contains(bytes[index + 1]) else {
                return .failure(DecodeFailure(offset: index))
            }
            let trail = bytes[index + 1]
            let slot = Int(lead - CP949Table.leadRange.lowerBound) * trails + Int(trail - CP949Table.trailRange.lowerBound)
            guard slot < table.count, table[slot] != 0, let scalar = Unicode.Scalar(table[slot]) else {
                return .failure(DecodeFailure(offset: index))
            }
            if lead < 0xA1 || trail < 0xA1 { extended = true }
            scalars.append(scalar)
            index += 2
        }
        return .success((String(scalars), extended))
    }

    struct DecodeFailure: Error {
        var offset: Int
    }
}
