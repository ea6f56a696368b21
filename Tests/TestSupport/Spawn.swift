import Foundation

/// Starting child processes from tests that run in parallel, without one child inheriting
/// another's pipes.
///
/// Why: Foundation's `Pipe` descriptors are inheritable, and the tests start processes from many
/// threads at once. A long-lived child (a loopback server) started while another test's pipe was
/// open kept that pipe's write end, so the other test waited for an end-of-file that could only
/// come when the server stopped, while the server's own test waited for a thread: the suite
/// deadlocked. Pipes from `pipe()` are close-on-exec (the child still gets its own ends as
/// stdin/stdout/stderr, which `dup2` makes inheritable), and `run` starts one process at a time
/// so that Foundation's own per-process descriptors are not inherited by a sibling either.
public enum Spawn {
    private static let lock = NSLock()

    /// A pipe whose descriptors no child inherits except as its standard streams.
    public static func pipe() -> Pipe {
        let pipe = Pipe()
        for fd in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        return pipe
    }

    /// Starts `process`, one at a time across the test process.
    public static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
