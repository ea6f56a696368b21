/// RC4, the stream cipher of the PDF standard security handler's revisions 2-4 (a legacy
/// cipher; Baton only decrypts with it).
enum RC4 {
    static func apply(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        guard !key.isEmpty else { return data }
        var state = [UInt8](repeating: 0, count: 256)
        for k in 0..<256 { state[k] = UInt8(k) }
        var j = 0
        for i in 0..<256 {
            j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
            state.swapAt(i, j)
        }
        var out = [UInt8](repeating: 0, count: data.count)
        var i = 0
        j = 0
        for index in 0..<data.count {
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            out[index] = data[index] ^ state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
        return out
    }
}
