import FuzzDriver
import Cron
import Foundation

/// Parses the input as a cron expression and, when it parses, asks for its next three times in
/// a zone with daylight saving: never a trap, never an endless search.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? CronExpression(text), let zone = TimeZone(identifier: "America/New_York") else { return 0 }
    _ = expression.nextTimes(after: Date(timeIntervalSince1970: 1_700_000_000), in: zone, count: 3)
    return 0
}

@_cdecl("FuzzCron_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzCron)
}
