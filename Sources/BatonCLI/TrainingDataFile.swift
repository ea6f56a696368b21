import Base
import Documents
import Foundation
import Runtime
import Training
import Workflow

/// Reads a data file for `baton train lora`: chat-format JSONL (`baton dataset export`'s output,
/// or written by hand), or a spreadsheet's CSV of `prompt,completion` (an optional `system`
/// column), UTF-8 or CP949/EUC-KR as Korean Excel saves it, decoded by the Documents module as
/// every other text file Baton reads.
enum TrainingDataFile {
    static func read(_ path: String, template: ChatTemplate, tokenizer: Tokenizer, sequenceLength: Int) throws(TrainingError) -> ChatDataset {
        guard (path as NSString).pathExtension.lowercased() == "csv" else {
            return try ChatDataset(path: path, template: template, tokenizer: tokenizer, sequenceLength: sequenceLength)
        }
        return try ChatDataset(conversations: try csvConversations(path), path: path, template: template, tokenizer: tokenizer,
                               sequenceLength: sequenceLength)
    }

    /// One conversation per CSV record after the header: the system message (when the column is
    /// there and the cell is not empty), the prompt as the user's turn, the completion as the
    /// assistant's. A record's `line` is its number counting the header as 1 (its line in the file
    /// unless a cell above it spans lines).
    static func csvConversations(_ path: String) throws(TrainingError) -> [ChatDataset.Conversation] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError(file: path, message: "cannot read the data file")
        }
        let text: String
        do { text = try TextDecoding.decode([UInt8](data), file: path).text } catch {
            throw TrainingError(file: path, message: (error.location.map { "\($0): " } ?? "") + error.message)
        }
        let records: [[String]]
        do { records = try StepFileReader.csvRecords(text, file: path) } catch {
            throw TrainingError(file: path, line: error.location?.line, message: error.message)
        }
        guard let header = records.first else { throw TrainingError(file: path, message: "the data file has no examples") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let promptColumn = names.firstIndex(of: "prompt"), let completionColumn = names.firstIndex(of: "completion") else {
            throw TrainingError(file: path, line: 1, message: "a CSV data file needs the columns prompt and completion; its header has \(header.joined(separator: ", "))")
        }
        let systemColumn = names.firstIndex(of: "system")
        var conversations: [ChatDataset.Conversation] = []
        for (index, record) in records.dropFirst().enumerated() {
            let line = index + 2
            guard record.count > max(promptColumn, completionColumn) else {
                throw TrainingError(file: path, line: line, message: "expected \(header.count) cells, found \(record.count)")
            }
            guard !record[completionColumn].isEmpty else {
                throw TrainingError(file: path, line: line, message: "the completion is empty: no assistant message to learn from")
            }
            var messages: [ChatMessage] = []
            if let systemColumn, systemColumn < record.count, !record[systemColumn].isEmpty {
                messages.append(ChatMessage(role: .system, content: record[systemColumn]))
            }
            messages.append(ChatMessage(role: .user, content: record[promptColumn]))
            messages.append(ChatMessage(role: .assistant, content: record[completionColumn]))
            conversations.append(ChatDataset.Conversation(line: line, messages: messages))
        }
        return conversations
    }
}
