/// A word-level difference between two texts, written like `git diff --word-diff=plain`:
/// `[-removed-]{+added+}` inline, unchanged words as they are.
///
/// Words are runs of non-space characters, compared with the spacing between them. The longest
/// common subsequence is computed on words, so a changed adjective shows as one swap instead of
/// a rewritten paragraph. Texts too long for the quadratic table are shown as one replacement.
///
/// Here, beside the run records, because `baton diff` and the console's diff page both compare
/// two runs' recorded texts with it.
public enum WordDiff {
    /// The largest word-count product compared word by word (about 4 MB of table).
    public static let maxCells = 1_000_000

    /// One piece of the result.
    public enum Piece: Equatable, Sendable {
        case same(String), removed(String), added(String)
    }

    /// The marked-up difference; `nil` when the texts are equal.
    public static func render(_ old: String, _ new: String) -> String? {
        guard old != new else { return nil }
        var text = ""
        for piece in pieces(old, new) {
            switch piece {
            case .same(let words): text += words
            case .removed(let words): text += "[-" + words + "-]"
            case .added(let words): text += "{+" + words + "+}"
            }
        }
        return text
    }

    /// The difference as runs of unchanged, removed and added words (with their spacing).
    public static func pieces(_ old: String, _ new: String) -> [Piece] {
        let a = tokens(old)
        let b = tokens(new)
        guard a.count * b.count <= maxCells else { return [.removed(old), .added(new)] }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...], flattened.
        let width = b.count + 1
        var lengths = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] = a[i].word == b[j].word
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var pieces: [Piece] = []
        func append(_ piece: Piece) {
            switch (pieces.last, piece) {
            case (.same(let x)?, .same(let y)): pieces[pieces.count - 1] = .same(x + y)
            case (.removed(let x)?, .removed(let y)): pieces[pieces.count - 1] = .removed(x + y)
            case (.added(let x)?, .added(let y)): pieces[pieces.count - 1] = .added(x + y)
            default: pieces.append(piece)
            }
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i].word == b[j].word {
                append(.same(b[j].text))
                i += 1
                j += 1
            } else if i < a.count, j == b.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                // Removed before added, so a swapped word reads [-old-]{+new+}.
                append(.removed(a[i].text))
                i += 1
            } else {
                append(.added(b[j].text))
                j += 1
            }
        }
        return pieces
    }

    /// The words of `text` and the runs of spacing between them, as separate tokens, so a
    /// changed word is marked without the space before it.
    private static func tokens(_ text: String) -> [(word: Substring, text: String)] {
        var result: [(word: Substring, text: String)] = []
        var index = text.startIndex
        while index < text.endIndex {
            let isSpace = text[index].isWhitespace
            let end = text[index...].firstIndex(where: { $0.isWhitespace != isSpace }) ?? text.endIndex
            result.append((text[index..<end], String(text[index..<end])))
            index = end
        }
        return result
    }
}
