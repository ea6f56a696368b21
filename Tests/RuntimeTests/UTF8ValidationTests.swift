import Base
import Testing
import TestSupport
@testable import Runtime

@Test(arguments: [
    ([UInt8](), true), (Array("plain ascii".utf8), true), (Array("한국어 😀 é".utf8), true),
    ([0xC3], false), ([0xC0, 0x80], false), ([0xE0, 0x80, 0x80], false), ([0xED, 0xA0, 0x80], false),
    ([0xF4, 0x90, 0x80, 0x80], false), ([0xF5, 0x80, 0x80, 0x80], false), ([0x80], false),
    ([0xEC, 0x95], false), ([0xF0, 0x9F, 0x98, 0x80], true), ([0xEF, 0xBF, 0xBF], true),
])
func utf8ValidationAgreesWithTheStandardLibrary(bytes: [UInt8], valid: Bool) {
    bytes.withUnsafeBytes { raw in
        #expect(UTF8Validation.isValid(raw) == valid)
        #expect((String(validating: raw, as: UTF8.self) != nil) == valid)
    }
}

@Test func utf8ValidationAgreesOnRandomBytes() {
    var rng = SeededGenerator(seed: 7)
    let pool: [UInt8] = [0x41, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
    for _ in 0..<20_000 {
        let bytes = (0..<Int(rng.next() % 7)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }
        bytes.withUnsafeBytes { raw in
            #expect(UTF8Validation.isValid(raw) == (String(validating: raw, as: UTF8.self) != nil), "\(bytes)")
        }
    }
}
