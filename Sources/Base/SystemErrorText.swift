import Foundation

/// A file-system or system error as a short plain reason (`no such file`, `is a directory`,
/// `permission denied`), for messages that already name the path.
///
/// Foundation's own texts on Linux read `The operation could not be completed. (NSCocoaErrorDomain
/// error 256.)` or `Error Domain=NSCocoaErrorDomain Code=256 "(null)"`: they name neither the cause
/// nor anything a user can act on, so no message may carry them. The precise cause usually sits
/// in the underlying POSIX error.
public enum SystemErrorText {
    /// Any error as message text: Baton's own errors as they describe themselves, Foundation's
    /// (file system, POSIX) through `describe`.
    public static func message(for error: any Error) -> String {
        let domain = (error as NSError).domain
        guard domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain else { return String(describing: error) }
        return describe(error)
    }

    public static func describe(_ error: any Error) -> String {
        let error = error as NSError
        // On Linux the underlying error may be a Swift `POSIXError` rather than an `NSError`.
        if let underlying = error.userInfo[NSUnderlyingErrorKey] {
            if let posixError = underlying as? POSIXError { return posix(posixError.code.rawValue) }
            if let other = underlying as? NSError, other.domain == NSPOSIXErrorDomain { return posix(Int32(truncatingIfNeeded: other.code)) }
        }
        if error.domain == NSPOSIXErrorDomain { return posix(Int32(truncatingIfNeeded: error.code)) }
        if error.domain == NSCocoaErrorDomain {
            switch error.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
            case NSFileWriteOutOfSpaceError: return "no space left on the device"
            case NSFileWriteVolumeReadOnlyError: return "the volume is read-only"
            case NSFileWriteFileExistsError: return "a file with that name exists"
            case NSFileReadInapplicableStringEncodingError, NSFileWriteInapplicableStringEncodingError: return "not valid text in the expected encoding"
            case NSFileReadTooLargeError: return "the file is too large"
            case NSFileReadCorruptFileError: return "the file is damaged"
            default: return "the file operation failed (code \(error.code))"
            }
        }
        let text = error.localizedDescription
        if text.contains("Error Domain=") || text.contains("The operation could not be completed") {
            return "failed (system error \(error.code))"
        }
        return text
    }

    /// `strerror`'s text with a lower-case first letter, to follow a colon.
    private static func posix(_ code: Int32) -> String {
        if code == ENOENT { return "no such file" }
        guard let pointer = strerror(code) else { return "system error \(code)" }
        let text = String(cString: pointer)
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
