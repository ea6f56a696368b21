/// The raw bytes of a YAML source, used only when reporting an error: finds a line's text and
/// turns libyaml's byte offsets into 1-based marks. Nothing here runs on the happy path.
struct SourceText {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The text of 1-based `line` without its line break; invalid UTF-8 shows as U+FFFD.
    /// Nil past the end of the input.
    func line(_ line: Int) -> String? {
        guard line >= 1 else { return nil }
        var start = 0
        var current = 1
        while current < line {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else { return nil }
            start = newline + 1
            current += 1
        }
        if start > bytes.count || (start == bytes.count && line > 1) { return nil }
        var end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The mark of the byte at `offset`: lines count `\n`, columns count UTF-8 lead bytes.
    func mark(forByteOffset offset: Int) -> Mark {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        for index in 0..<end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }

    /// The Unicode scalar at a 1-based mark, if the line has one there.
    func scalar(at mark: Mark) -> Unicode.Scalar? {
        guard let text = line(mark.line) else { return nil }
        let scalars = Array(text.unicodeScalars)
        let index = mark.column - 1
        return scalars.indices.contains(index) ? scalars[index] : nil
    }
}

extension SourceText {
    /// The first malformed UTF-8 sequence: its byte offset and a description of what is wrong.
    /// libyaml reports the byte where it noticed the problem (sometimes a continuation byte);
    /// people need the start of the broken character.
    func firstInvalidUTF8() -> (offset: Int, message: String)? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .emptyInput:
                return nil
            case .error:
                let byte = bytes[offset]
                let hex = "0x" + String(byte, radix: 16, uppercase: true)
                let what = (0xC2...0xF4).contains(byte) 
                    ? "byte \(hex) starts a character that is cut short"
                    : "byte \(hex) cannot start a character"
                return (offset, "invalid UTF-8 at byte offset \(offset): \(what)")
            }
        }
    }
}
