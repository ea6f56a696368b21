import Base
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Audit

/// `baton model pull`: fetches a GGUF over HTTP into the model folder, resuming a partial
/// download (`<name>.part`, HTTP Range) and checking the SHA-256 before the file takes its name,
/// so a model file in the folder is always complete.
public enum LocalModelDownload {
    /// Downloads `url` into `folder`; returns the final path. `progress` gets (bytes so far, total).
    public static func pull(_ url: URL, into folder: String, sha256 expected: String?,
                            progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in }) throws(ModelError) -> String {
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
        let sink = DownloadSink(path: part, resumeFrom: have, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
        session.dataTask(with: request).resume()
        sink.done.wait()
        session.finishTasksAndInvalidate()
        if let failure = sink.failure { throw ModelError(.connection, "\(url.absoluteString): \(failure)") }
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

/// Writes the response body to the `.part` file as it arrives.
private final class DownloadSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked Sendable: URLSession calls the delegate serially; `done` publishes the result.
    let done = DispatchSemaphore(value: 0)
    var failure: String?
    private let path: String
    private let resumeFrom: Int64
    private let progress: @Sendable (Int64, Int64?) -> Void
    private var handle: FileHandle?
    private var received: Int64 = 0
    private var total: Int64?

    init(path: String, resumeFrom: Int64, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
        self.path = path
        self.resumeFrom = resumeFrom
        self.progress = progress
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let length = response.expectedContentLength
        if status == 416 && resumeFrom > 0 { completionHandler(.allow); return } // already complete: nothing to write
        guard status == 200 || status == 206 else {
            // Read the (short) error body and ignore it, so the task completes normally.
            failure = "HTTP \(status)"
            completionHandler(.allow)
            return
        }
        let append = status == 206
        if !append || !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        if append { _ = try? handle?.seekToEnd() } else { try? handle?.truncate(atOffset: 0) }
        received = append ? resumeFrom : 0
        total = length >= 0 ? length + received : nil
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do { try handle?.write(contentsOf: data) } catch { failure = "cannot write \(path): \(SystemErrorText.describe(error))"; dataTask.cancel(); return }
        received += Int64(data.count)
        progress(received, total)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        try? handle?.close()
        if let error, failure == nil, (error as NSError).code != NSURLErrorCancelled { failure = error.localizedDescription }
        done.signal()
    }
}
