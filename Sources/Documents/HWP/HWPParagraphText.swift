/// Decodes an `HWPTAG_PARA_TEXT` record: UTF-16LE text in which code units below 32 are control
/// characters. Char controls take one unit (line break, paragraph break, hyphen, the
/// non-breaking and fixed-width spaces); inline controls (tab, field end, title mark) and
/// extended controls (section definition, field start, table or drawing, footnote, header,
/// page control, bookmark...) take eight: the code, twelve bytes of parameters (an extended
/// control's id first) and the code again. The parameters are skipped whole, so their bytes never
/// leak into the text.
enum HWPParagraphText {
    /// The text, with tabs as `\t`, line breaks as `\n` and the special spaces as spaces.
    static func decode(_ data: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(data.count / 2)
        var index = data.startIndex
        while index + 1 < data.endIndex {
            let unit = UInt16(data[index]) | UInt16(data[index + 1]) << 8
            if unit >= 32 {
                units.append(unit)
                index += 2
                continue
            }
            switch unit {
            case 10: units.append(10)
            case 24: units.append(0x2D)  // a hyphen
            case 30, 31: units.append(0x20)  // the non-breaking and fixed-width spaces
            case 9: units.append(9)
            default: break  // 0, 13 (the paragraph's end) and the reserved 25-29
            }
            index += 2 * width(of: unit)
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// How many code units a control character occupies: 8 for inline and extended controls,
    /// 1 for char controls.
    static func width(of code: UInt16) -> Int {
        switch code {
        case 1...9, 11, 12, 14...23: return 8
        default: return 1
        }
    }
}
