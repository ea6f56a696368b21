/// Adler-32 (RFC 1950), the checksum that ends a zlib stream (PDF's FlateDecode).
public struct Adler32: Sendable, Equatable {
    public private(set) var value: UInt32 = 1

    public init() {}

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var adler = Adler32()
        bytes.withUnsafeBufferPointer { adler.update($0) }
        return adler.value
    }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var a = value & 0xFFFF, b = value >> 16
        var index = 0
        while index < bytes.count {
            // 5552 bytes is the most that cannot overflow 32 bits before the modulo (RFC 1950).
            let end = min(bytes.count, index + 5552)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        value = (b << 16) | a
    }
}
