import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's identity (pid, host name), and whether another process on this host is alive:
/// how a run left `running` by a killed runner is told apart from one still going.
enum HostProcess {
    static let currentPID = Int(getpid())

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Whether a process with `pid` exists here (`kill(pid, 0)`: success, or EPERM for another
    /// user's process). A reused pid reads as alive: the run then shows `running`, never a false
    /// `interrupted`.
    static func isAlive(pid: Int) -> Bool {
        guard pid > 0, pid <= Int(Int32.max) else { return false }
        if pid == currentPID { return true }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
