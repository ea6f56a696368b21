/// AES-128 decryption (FIPS 197) in CBC mode with PKCS#5 padding, as the PDF `AESV2` crypt
/// filter uses it: the first 16 bytes of the data are the IV.
enum AES128 {
    /// The S-box, built from the GF(2^8) inverse and the affine map rather than typed in.
    static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        var p: UInt8 = 1, q: UInt8 = 1
        repeat {
            p = p ^ (p << 1) ^ ((p & 0x80) != 0 ? 0x1B : 0)  // p * 3
            q ^= q << 1; q ^= q << 2; q ^= q << 4            // q / 3
            if q & 0x80 != 0 { q ^= 0x09 }
            let rotated = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4)
            box[Int(p)] = rotated ^ 0x63
        } while p != 1
        box[0] = 0x63
        return box
    }()

    static let inverseSbox: [UInt8] = {
        var inverse = [UInt8](repeating: 0, count: 256)
        for (index, value) in sbox.enumerated() { inverse[Int(value)] = UInt8(index) }
        return inverse
    }()

    private static func rotl(_ x: UInt8, _ n: UInt8) -> UInt8 { x << n | x >> (8 - n) }

    private static func xtime(_ x: UInt8) -> UInt8 { x << 1 ^ ((x & 0x80) != 0 ? 0x1B : 0) }

    private static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var result: UInt8 = 0, a = x, b = y
        while b != 0 {
            if b & 1 != 0 { result ^= a }
            a = xtime(a)
            b >>= 1
        }
        return result
    }

    /// The 11 round keys, 16 bytes each.
    static func expand(_ key: [UInt8]) -> [UInt8] {
        var words = key
        var rcon: UInt8 = 1
        while words.count < 176 {
            var t = Array(words[(words.count - 4)...])
            if words.count % 16 == 0 {
                t = [sbox[Int(t[1])] ^ rcon, sbox[Int(t[2])], sbox[Int(t[3])], sbox[Int(t[0])]]
                rcon = xtime(rcon)
            }
            for k in 0..<4 { words.append(words[words.count - 16] ^ t[k]) }
        }
        return words
    }

    static func decryptBlock(_ block: inout [UInt8], roundKeys: [UInt8]) {
        for k in 0..<16 { block[k] ^= roundKeys[160 + k] }
        for round in stride(from: 9, through: 0, by: -1) {
            // Inverse ShiftRows (state is column-major: byte r + 4c) and inverse SubBytes.
            var shifted = block
            for r in 0..<4 {
                for c in 0..<4 { shifted[r + 4 * ((c + r) % 4)] = inverseSbox[Int(block[r + 4 * c])] }
            }
            block = shifted
            for k in 0..<16 { block[k] ^= roundKeys[16 * round + k] }
            if round > 0 {
                for c in 0..<4 {
                    let a0 = block[4 * c], a1 = block[4 * c + 1], a2 = block[4 * c + 2], a3 = block[4 * c + 3]
                    block[4 * c] = multiply(a0, 14) ^ multiply(a1, 11) ^ multiply(a2, 13) ^ multiply(a3, 9)
                    block[4 * c + 1] = multiply(a0, 9) ^ multiply(a1, 14) ^ multiply(a2, 11) ^ multiply(a3, 13)
                    block[4 * c + 2] = multiply(a0, 13) ^ multiply(a1, 9) ^ multiply(a2, 14) ^ multiply(a3, 11)
                    block[4 * c + 3] = multiply(a0, 11) ^ multiply(a1, 13) ^ multiply(a2, 9) ^ multiply(a3, 14)
                }
            }
        }
    }

    /// The plaintext, or nil when the data is not IV + whole blocks or the padding is wrong.
    static func decryptCBC(key: [UInt8], _ data: [UInt8]) -> [UInt8]? {
        guard key.count == 16 else { return nil }
        if data.isEmpty { return [] }
        guard data.count >= 32, data.count % 16 == 0 else { return nil }
        let roundKeys = expand(key)
        var previous = Array(data[0..<16])
        var out: [UInt8] = []
        out.reserveCapacity(data.count - 16)
        var block = [UInt8](repeating: 0, count: 16)
        for start in stride(from: 16, to: data.count, by: 16) {
            for k in 0..<16 { block[k] = data[start + k] }
            let cipher = block
            decryptBlock(&block, roundKeys: roundKeys)
            for k in 0..<16 { out.append(block[k] ^ previous[k]) }
            previous = cipher
        }
        guard let pad = out.last, pad >= 1, pad <= 16, Int(pad) <= out.count else { return nil }
        out.removeLast(Int(pad))
        return out
    }
}
