import CYAML

/// One parse event from libyaml, copied into Swift values. Marks are already 1-based.
enum Event {
    case streamStart
    case streamEnd(Mark)
    case documentStart(Mark)
    case documentEnd(Mark)
    case alias(anchor: String, mark: Mark)
    case scalar(Scalar, anchor: String?, plainImplicit: Bool, mark: Mark)
    case sequenceStart(anchor: String?, mark: Mark)
    case sequenceEnd
    case mappingStart(anchor: String?, mark: Mark)
    case mappingEnd
}

/// Owns a libyaml parser and a private copy of the input, and hands out events one at a time.
/// libyaml keeps pointers into the input, so the copy lives exactly as long as the parser.
final class EventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let count: Int
    let file: String

    init(bytes: some Collection<UInt8>, file: String) {
        self.file = file
        count = bytes.count
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress, count)
        self.parser = parser
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The input, for error reporting.
    var source: SourceText {
        SourceText(bytes: UnsafeBufferPointer(rebasing: input[0..<count]))
    }

    /// The next event, or the libyaml error turned into a `YAMLError`.
    func next() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw libyamlError() }
        defer { yaml_event_delete(&event) }
        let mark = Mark(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd(mark)
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(mark)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
            } ?? ""
            let scalar = Scalar(value, style: style(data.style), tag: string(data.tag))
            return .scalar(scalar, anchor: string(data.anchor), plainImplicit: data.plain_implicit != 0, mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: string(event.data.mapping_start.anchor), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            throw YAMLError(file: file, mark: mark, message: "unexpected YAML event \(event.type.rawValue)")
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// Turns libyaml's error state into a diagnostic, rewording the messages people meet most.
    private func libyamlError() -> YAMLError {
        let state = parser.pointee
        let source = self.source
        let problem = state.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        if state.error == YAML_READER_ERROR, let (offset, message) = source.firstInvalidUTF8() {
            let mark = source.mark(forByteOffset: offset)
            return YAMLError(file: file, mark: mark, message: message, sourceLine: source.line(mark.line))
        }
        if state.error == YAML_READER_ERROR {
            let mark = source.mark(forByteOffset: state.problem_offset)
            return YAMLError(file: file, mark: mark,
                             message: LibyamlMessages.reader(problem: problem, offset: state.problem_offset,
                                                             value: Int(state.problem_value)),
                             sourceLine: source.line(mark.line))
        }
        if state.error == YAML_MEMORY_ERROR {
            return YAMLError(file: file, mark: Mark(line: 1, column: 1), message: "out of memory while parsing YAML")
        }
        let problemMark = Mark(line: state.problem_mark.line + 1, column: state.problem_mark.column + 1)
        let context = state.context.map { String(cString: $0) }
        let contextMark = Mark(line: state.context_mark.line + 1, column: state.context_mark.column + 1)
        let (mark, message) = LibyamlMessages.syntax(problem: problem, problemMark: problemMark,
                                                     context: context, contextMark: contextMark,
                                                     characterAtProblem: source.scalar(at: problemMark))
        return YAMLError(file: file, mark: mark, message: message, sourceLine: source.line(mark.line))
    }
}
