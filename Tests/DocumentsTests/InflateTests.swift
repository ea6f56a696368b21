import Documents
import Base
import Foundation
import Testing
import TestSupport

/// DEFLATE and zlib decoding against Python's zlib (C): streams of every block type, and 600
/// byte-flipped or cut streams on which Baton must give zlib's verdict (same output, or an error).
@Suite struct InflateTests {
    struct Stream: Decodable, CustomTestStringConvertible {
        var name: String
        var wrapper: String
        var size: Int
        var crc32: UInt32
        var adler32: UInt32
        var firstBlockType: Int?
        var testDescription: String { name }
        var fileName: String { "deflate/\(name).\(wrapper == "zlib" ? "zlib" : "deflate")" }
    }

    struct Mutation: Decodable {
        var source: String
        var flips: [[Int]]
        var cut: Int?
        var result: String
        var message: String?
        var crc32: UInt32?
        var size: Int?
        var consumed: Int?
    }

    struct Manifest: Decodable {
        var streams: [Stream]
        var mutations: [Mutation]
    }

    static let manifest: Manifest = {
        guard let data = try? Data(contentsOf: DocumentFixtures.url("deflate/manifest.json")),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return Manifest(streams: [], mutations: []) }
        return manifest
    }()

    @Test func fixturesCoverEveryBlockType() {
        #expect(Set(Self.manifest.streams.compactMap(\.firstBlockType)) == [0, 1, 2])
        #expect(Self.manifest.mutations.count == 600)
    }

    @Test(arguments: manifest.streams)
    func inflatesLikeZlib(_ stream: Stream) throws {
        let compressed = try DocumentFixtures.bytes(stream.fileName)
        let output = stream.wrapper == "zlib" ? try Inflate.zlib(compressed) : try Inflate.inflate(compressed)
        #expect(output.count == stream.size)
        #expect(CRC32.checksum(output) == stream.crc32)
        #expect(Adler32.checksum(output) == stream.adler32)
        if DocumentFixtures.exists("deflate/\(stream.name).raw") {
            #expect(output == (try DocumentFixtures.bytes("deflate/\(stream.name).raw")))
        }
        if stream.wrapper == "raw" {
            #expect(try Inflate.inflateStream(compressed[...]).consumed == compressed.count)
        }
    }

    @Test func mutatedStreamsGetZlibsVerdict() throws {
        var disagreements: [String] = []
        for (index, mutation) in Self.manifest.mutations.enumerated() {
            let source = try #require(Self.manifest.streams.first { $0.name == mutation.source })
            var bytes = try DocumentFixtures.bytes(source.fileName)
            for flip in mutation.flips { bytes[flip[0]] ^= UInt8(flip[1]) }
            if let cut = mutation.cut { bytes = Array(bytes[..<cut]) }
            let verdict: String
            if source.wrapper == "zlib" {
                do { let out = try Inflate.zlib(bytes); verdict = "ok \(CRC32.checksum(out)) \(out.count)" } catch {
                    verdict = error.reason == .truncated ? "truncated" : "error \(error.message)"
                }
            } else {
                do {
                    let result = try Inflate.inflateStream(bytes[...])
                    verdict = "ok \(CRC32.checksum(result.output)) \(result.output.count) \(result.consumed)"
                } catch { verdict = error.reason == .truncated ? "truncated" : "error \(error.message)" }
            }
            let expected: String
            switch mutation.result {
            case "ok": expected = source.wrapper == "zlib" ? "ok \(mutation.crc32 ?? 0) \(mutation.size ?? 0)"
                : "ok \(mutation.crc32 ?? 0) \(mutation.size ?? 0) \(mutation.consumed ?? 0)"
            case "truncated": expected = "truncated"
            default: expected = "error \(mutation.message ?? "")"
            }
            let agrees = expected.hasPrefix("error") ? verdict.hasPrefix(expected) : verdict == expected
            if !agrees { disagreements.append("#\(index) \(mutation.source): zlib \(expected), Baton \(verdict)") }
        }
        #expect(disagreements == [])
    }

    @Test func aStatedSizeIsNotTrustedBeyondWhatTheStreamCanMake() throws {
        // A ZIP header's size is the writer's word: Int.max must neither overflow the reservation
        // nor reserve more than 1,032 times the input; too small a size just grows the output.
        let compressed = try DocumentFixtures.bytes("deflate/long-matches.deflate")
        let size = try #require(Self.manifest.streams.first { $0.name == "long-matches" }).size
        let expected = try Inflate.inflate(compressed)
        #expect(expected.count == size)
        #expect(try Inflate.inflate(compressed, expectedSize: Int.max) == expected)
        #expect(try Inflate.inflate(compressed, expectedSize: 1) == expected)
        #expect(try Inflate.inflate(compressed, expectedSize: size) == expected)
    }

    @Test func outputLimitStopsABomb() throws {
        let compressed = try DocumentFixtures.bytes("deflate/long-matches.deflate")
        #expect(throws: InflateError.self) { try Inflate.inflate(compressed, limit: 10_000) }
        do { _ = try Inflate.inflate(compressed, limit: 10_000) } catch {
            #expect(error.reason == .outputLimit)
            #expect(error.message == "the inflated data is larger than the 10000-byte limit")
        }
        let size = try #require(Self.manifest.streams.first { $0.name == "long-matches" }).size
        #expect(try Inflate.inflate(compressed, limit: size).count == size)
    }

    @Test(arguments: [
        ([UInt8]([0x07]), "invalid block type"),
        ([0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02], "incorrect data check (Adler-32 0x00000002 stored, 0x00000001 computed)"),
        ([0x78, 0x9D, 0x03, 0x00], "incorrect header check"),
    ])
    func errorsNameTheProblem(_ input: [UInt8], _ message: String) {
        do {
            _ = input.first == 0x78 ? try Inflate.zlib(input) : try Inflate.inflate(input)
            Issue.record("expected an error")
        } catch { #expect(error.message == message) }
    }

    @Test func crc32MatchesKnownValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    /// The table-driven CRC (16, then 8, then 1 byte per step) against the bitwise definition, on
    /// every length that exercises each tail, and fed in two uneven pieces.
    @Test func crc32EqualsTheBitwiseDefinitionAtEveryLength() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        var random = SeededGenerator(seed: 13)
        let bytes = (0..<1_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for length in 0..<80 {
            #expect(CRC32.checksum(Array(bytes[..<length])) == bitwise(Array(bytes[..<length])), "length \(length)")
        }
        var pieces = CRC32()
        pieces.update(Array(bytes[..<37]))
        pieces.update(Array(bytes[37...]))
        #expect(pieces.value == bitwise(bytes))
        #expect(CRC32.checksum(bytes) == bitwise(bytes))
    }
}
