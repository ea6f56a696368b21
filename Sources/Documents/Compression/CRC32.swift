/// CRC-32 (ISO 3309, the polynomial 0xEDB88320 reflected) as ZIP and PNG use it, sixteen bytes
/// per step (slicing-by-16, then by 8 and by one for the tail) so checking an inflated entry
/// costs little next to inflating it (Swift has no portable carry-less multiply to do better).
public struct CRC32: Sendable, Equatable {
    public private(set) var value: UInt32 = 0

    public init() {}

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var crc = ~value
        var index = 0
        let count = bytes.count
        Self.tables.withUnsafeBufferPointer { table in
            while count - index >= 16 {
                let first = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self).littleEndian
                let second = UnsafeRawPointer(base + index + 8).loadUnaligned(as: UInt64.self).littleEndian
                let a = UInt32(truncatingIfNeeded: first) ^ crc, b = UInt32(truncatingIfNeeded: first >> 32)
                let c = UInt32(truncatingIfNeeded: second), d = UInt32(truncatingIfNeeded: second >> 32)
                crc = table[15 * 256 + Int(a & 0xFF)] ^ table[14 * 256 + Int((a >> 8) & 0xFF)]
                    ^ table[13 * 256 + Int((a >> 16) & 0xFF)] ^ table[12 * 256 + Int(a >> 24)]
                    ^ table[11 * 256 + Int(b & 0xFF)] ^ table[10 * 256 + Int((b >> 8) & 0xFF)]
                    ^ table[9 * 256 + Int((b >> 16) & 0xFF)] ^ table[8 * 256 + Int(b >> 24)]
                    ^ table[7 * 256 + Int(c & 0xFF)] ^ table[6 * 256 + Int((c >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((c >> 16) & 0xFF)] ^ table[4 * 256 + Int(c >> 24)]
                    ^ table[3 * 256 + Int(d & 0xFF)] ^ table[2 * 256 + Int((d >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((d >> 16) & 0xFF)] ^ table[Int(d >> 24)]
                index += 16
            }
            while count - index >= 8 {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self).littleEndian
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word >> 32)
                crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = table[Int((crc ^ UInt32(base[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        value = ~crc
    }

    /// Sixteen 256-entry tables: table k gives the CRC of a byte followed by k zero bytes.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[byte] = crc
        }
        for k in 1..<16 {
            for byte in 0..<256 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return tables
    }()
}
