import Foundation
import Synchronization

/// Reasoning models (Qwen3, DeepSeek-R1 and their kin) write `<think>…</think>` before the
/// answer. A workflow step's output is the answer alone: the blocks are taken out of the text
/// (and out of the streamed pieces, by `ThinkBlocks.Stream`) and kept apart, so the audit record
/// can hold them without a later step ever reading them.
public enum ThinkBlocks {
    static let open = "<think>", close = "</think>"

    /// `text` without its think blocks, and their contents joined by blank lines (nil when
    /// there were none). An unclosed block (the model stopped while thinking) runs to the end;
    /// a `</think>` with no opening tag ends a block that began before the text did (templates
    /// that open it in the prompt). Whitespace left at the start of the answer is dropped.
    public static func split(_ text: String) -> (answer: String, thinking: String?) {
        var answer = "", thoughts: [String] = []
        var rest = Substring(text)
        if let end = rest.range(of: close), rest.range(of: open).map({ $0.lowerBound > end.lowerBound }) ?? true {
            thoughts.append(String(rest[..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        while let start = rest.range(of: open) {
            answer += rest[..<start.lowerBound]
            let inside = rest[start.upperBound...]
            if let end = inside.range(of: close) {
                thoughts.append(String(inside[..<end.lowerBound]))
                rest = inside[end.upperBound...]
            } else {
                thoughts.append(String(inside))
                rest = ""
            }
        }
        answer += rest
        if thoughts.isEmpty { return (text, nil) }
        let kept = thoughts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return (String(answer.drop { $0.isWhitespace }), kept.isEmpty ? "" : kept.joined(separator: "\n\n"))
    }

    /// Filters streamed pieces the way `split` filters the whole text: what is inside a think
    /// block is never passed on. A tag may arrive split over pieces, so a piece's tail that could
    /// begin one is held back until the next piece decides. A final class (its state in a
    /// `Mutex`) because providers call `onToken` from their own threads.
    public final class Stream: Sendable {
        private struct State {
            var pending = ""
            var inside = false
            /// Nothing but whitespace has been seen outside blocks yet; that whitespace is in `leading`.
            var atStart = true
            var leading = ""
            /// A block has been seen: leading whitespace is dropped, as `split` drops it.
            var sawBlock = false
        }

        private let state = Mutex(State())

        public init() {}

        /// The visible part of `piece` (possibly empty).
        public func feed(_ piece: String) -> String {
            state.withLock { state in
                state.pending += piece
                var visible = ""
                while true {
                    let tag = state.inside ? ThinkBlocks.close : ThinkBlocks.open
                    if let range = state.pending.range(of: tag) {
                        if !state.inside { visible += state.pending[..<range.lowerBound] }
                        state.pending = String(state.pending[range.upperBound...])
                        state.sawBlock = true
                        state.inside.toggle()
                        continue
                    }
                    // Keep a tail that is a prefix of the tag; the rest is decided.
                    let keep = Self.partialTagLength(state.pending, tag)
                    let decided = state.pending.dropLast(keep)
                    if !state.inside { visible += decided }
                    state.pending = String(state.pending.suffix(keep))
                    break
                }
                if state.atStart {
                    state.leading += visible
                    guard let first = state.leading.firstIndex(where: { !$0.isWhitespace }) else { return "" }
                    visible = state.sawBlock ? String(state.leading[first...]) : state.leading
                    state.atStart = false
                    state.leading = ""
                }
                return visible
            }
        }

        /// What is held back at the end of the stream (a tail that turned out not to be a tag).
        public func finish() -> String {
            state.withLock { state in
                defer { state.pending = ""; state.leading = "" }
                return (state.sawBlock ? "" : state.leading) + (state.inside ? "" : state.pending)
            }
        }

        /// The length of the longest suffix of `text` that is a proper prefix of `tag`.
        static func partialTagLength(_ text: String, _ tag: String) -> Int {
            for length in stride(from: min(tag.count - 1, text.count), to: 0, by: -1) where text.hasSuffix(tag.prefix(length)) {
                return length
            }
            return 0
        }
    }
}
