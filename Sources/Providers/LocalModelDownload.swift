import Base
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Audit
import Synchronization

/// `baton model pull`: fetches a GGUF over HTTP into the model folder, resuming a partial
/// download (`<name>.part`, HTTP Range) and checking the SHA-256 before the file takes its name,
/// so a model file in the folder is always complete.
public enum LocalModelDownload {
    /// Downloads `url` into `folder`; returns the final path. `progress` gets (bytes so far, total).
    public static func pull(_ url: URL, into folder: String, sha256 expected: String?,
                            progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in }) async throws(ModelError) -> String {
        let name = url.lastPathComponent.isEmpty ? "model.gguf" : url.lastPathComponent
        let destination = folder + "/" + name
        let part = destination + ".part"
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw ModelError(.configuration, "\(folder): cannot create the model folder: \(SystemErrorText.describe(error))")
        }
        let have = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int64) ?? 0
        var request = URLRequest(url: url)
        request.setValue(BatonVersion.userAgent, forHTTPHeaderField: "User-Agent")
        if have > 0 { request.setValue("bytes=\(have)-", forHTTPHeaderField: "Range") }
        let failure: String? = await withCheckedContinuation { continuation in
            let sink = DownloadSink(path: part, resumeFrom: have, progress: progress, done: continuation)
            let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
            session.dataTask(with: request).resume()
            session.finishTasksAndInvalidate()
        }
        if let failure { throw ModelError(.connection, "\(url.absoluteString): \(failure)") }
        let digest: String
        do { digest = try SHA256.hash(fileAt: part).hex } catch {
            throw ModelError(.invalidResponse, "\(part): cannot read the download: \(SystemErrorText.describe(error))")
        }
        if let expected, digest != expected.lowercased() {
            try? FileManager.default.removeItem(atPath: part)
            throw ModelError(.invalidResponse, "\(url.absoluteString): SHA-256 mismatch: expected \(expected.lowercased()), got \(digest); the partial file was removed")
        }
        do {
            if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
            try FileManager.default.moveItem(atPath: part, toPath: destination)
        } catch {
            throw ModelError(.configuration, "\(destination): cannot move the download into place: \(SystemErrorText.describe(error))")
        }
        return destination
    }
}

/// Writes the response body to the `.part` file as it arrives, and answers `done` with the
/// failure (nil: the body is complete) when the task ends.
private final class DownloadSink: NSObject, URLSessionDataDelegate, Sendable {
    /// The file being written and how far it got; URLSession calls the delegate from its queue.
    private struct State {
        var failure: String?
        var handle: FileHandle?
        var received: Int64 = 0
        var total: Int64?
    }

    private let path: String
    private let resumeFrom: Int64
    private let progress: @Sendable (Int64, Int64?) -> Void
    private let done: CheckedContinuation<String?, Never>
    private let state = Mutex(State())

    init(path: String, resumeFrom: Int64, progress: @escaping @Sendable (Int64, Int64?) -> Void, done: CheckedContinuation<String?, Never>) {
        self.path = path
        self.resumeFrom = resumeFrom
        self.progress = progress
        self.done = done
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let length = response.expectedContentLength
        if status == 416 && resumeFrom > 0 { completionHandler(.allow); return } // already complete: nothing to write
        guard status == 200 || status == 206 else {
            // Read the (short) error body and ignore it, so the task completes normally.
            state.withLock { $0.failure = "HTTP \(status)" }
            completionHandler(.allow)
            return
        }
        let append = status == 206
        if !append || !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = FileHandle(forWritingAtPath: path)
        if append { _ = try? handle?.seekToEnd() } else { try? handle?.truncate(atOffset: 0) }
        let received = append ? resumeFrom : 0
        state.withLock { state in
            state.handle = handle
            state.received = received
            state.total = length >= 0 ? length + received : nil
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        // (bytes so far, total) to report; nil after a failure; `writeFailed` stops the task.
        var writeFailed = false
        let report: (Int64, Int64?)? = state.withLock { state in
            guard state.failure == nil else { return nil }
            do { try state.handle?.write(contentsOf: data) } catch {
                state.failure = "cannot write \(path): \(SystemErrorText.describe(error))"
                writeFailed = true
                return nil
            }
            state.received += Int64(data.count)
            return (state.received, state.total)
        }
        if writeFailed { dataTask.cancel() }
        if let report { progress(report.0, report.1) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let failure: String? = state.withLock { state in
            try? state.handle?.close()
            if let error, state.failure == nil, (error as NSError).code != NSURLErrorCancelled { state.failure = error.localizedDescription }
            return state.failure
        }
        done.resume(returning: failure)
    }
}
