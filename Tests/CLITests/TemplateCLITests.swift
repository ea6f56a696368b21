import Foundation
import Testing

@Test func templateBenchRunsAndReportsAMedian() throws {
    let result = try BatonProcess.run(["bench", "template", "--samples", "1", "--no-python"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines.first == "template: 2013 bytes of template, 1834 bytes of output, 1 x 50 renders")
    #expect(lines.last?.hasPrefix("baton   median ") == true)
    #expect(lines.last?.hasSuffix(" µs; target < 50 µs)") == true)
}

@Test func templateBenchTimesSecretTrackingBesideThePlainRender() throws {
    let result = try BatonProcess.run(["bench", "template", "--samples", "1", "--no-python", "--secret-tracking"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.last?.hasPrefix("tracked median ") == true)
    #expect(lines.last?.contains(" µs/render CPU time with secret tracking, ") == true)
}

@Test func templateBenchRejectsABadSampleCount() throws {
    let result = try BatonProcess.run(["bench", "template", "--samples", "zero"])
    #expect(result.status == 64)
    #expect(result.stderr == "error: --samples needs a positive integer\nUSAGE: baton bench template [--samples N] [--no-python] [--secret-tracking]\n")
}
