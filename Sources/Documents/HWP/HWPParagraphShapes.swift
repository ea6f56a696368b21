/// What `DocInfo`'s paragraph shapes (`HWPTAG_PARA_SHAPE`, numbered by their order) say about a
/// paragraph: an outline heading, a numbered or a bulleted item, and at which level (attribute
/// bits 23-24 and 25-27 of 표 39).
struct HWPParagraphShapes {
    private var roles: [HWPXParagraphShapes.Role?] = []

    init(docInfo: [HWPRecord]) {
        for record in docInfo where record.tag == HWPRecord.paraShape {
            guard let flags = record.uint32(at: 0) else { roles.append(nil); continue }
            let level = Int(flags >> 25 & 0x7) + 1
            switch flags >> 23 & 0x3 {
            case 1: roles.append(.heading(level: level))
            case 2: roles.append(.listItem(level: level, ordered: true))
            case 3: roles.append(.listItem(level: level, ordered: false))
            default: roles.append(nil)
            }
        }
    }

    /// The role of paragraph shape `id`, nil for body text (or an id DocInfo does not define).
    func role(_ id: Int) -> HWPXParagraphShapes.Role? {
        id >= 0 && id < roles.count ? roles[id] : nil
    }
}
