import Foundation
import Testing
@testable import Runtime

/// One weight type of `Fixtures/kquants/manifest.json` (made by `make_kquant_blocks.py` with
/// llama.cpp's own functions): rows of blocks from llama.cpp's quantizer and of random bytes, what
/// llama.cpp's `dequantize_row_<type>` makes of them, and its CPU dot products with activations.
struct KQuantFixture: Decodable, CustomTestStringConvertible, Sendable {
    var type: String
    var rows: Int
    var columns: Int
    var activations: Int
    var testDescription: String { type }

    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/kquants")

    static let all: [KQuantFixture] = {
        struct Manifest: Decodable { var types: [KQuantFixture] }
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data).types
    }()

    var format: WeightFormat {
        get throws {
            let type = try #require(GGMLType.allCases.first { $0.name == self.type }, "unknown type \(self.type)")
            return WeightFormat(type)
        }
    }

    func bytes(_ suffix: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("\(type).\(suffix)")))
    }

    func floats(_ suffix: String) throws -> [Float] {
        try Data(contentsOf: Self.directory.appendingPathComponent("\(type).\(suffix)")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}

@Suite("K-quants and IQ4_NL against llama.cpp's own functions")
struct KQuantReferenceTests {
    @Test("dequantization equals llama.cpp's dequantize_row bit for bit", arguments: KQuantFixture.all)
    func dequantize(fixture: KQuantFixture) throws {
        let format = try fixture.format
        let weights = try fixture.bytes("weights"), expected = try fixture.floats("dequantized.f32")
        var ours = [Float](repeating: .nan, count: fixture.rows * fixture.columns)
        weights.withUnsafeBytes { raw in
            ours.withUnsafeMutableBufferPointer { out in
                for r in 0..<fixture.rows {
                    Dequantize.row(format, raw.baseAddress! + r * format.rowBytes(fixture.columns), out.baseAddress! + r * fixture.columns, count: fixture.columns)
                }
            }
        }
        let differing = (0..<ours.count).filter { ours[$0].bitPattern != expected[$0].bitPattern }
        #expect(differing.isEmpty, "\(differing.count) values differ, first at \(differing.first.map { "\($0): \(ours[$0]) vs \(expected[$0])" } ?? "")")
    }

    @Test("dot products with quantized activations equal llama.cpp's vec_dot bit for bit", arguments: KQuantFixture.all)
    func dotProducts(fixture: KQuantFixture) throws {
        let format = try fixture.format
        let weights = try fixture.bytes("weights"), activations = try fixture.floats("activations.f32"), expected = try fixture.floats("dots.f32")
        let buffer = ActivationBuffer(capacity: fixture.activations * fixture.columns)
        activations.withUnsafeBufferPointer { buffer.convert($0.baseAddress!, rows: fixture.activations, columns: fixture.columns, to: format.activationFormat) }
        weights.withUnsafeBytes { raw in
            let matrix = WeightMatrix(format: format, rows: fixture.rows, columns: fixture.columns, data: raw.baseAddress!)
            for r in 0..<fixture.rows {
                let four = matrix.dot4(row: r, buffer, token: 0)
                for a in 0..<fixture.activations {
                    let one = matrix.dot(row: r, buffer, token: a), reference = expected[r * fixture.activations + a]
                    #expect(one.bitPattern == reference.bitPattern, "row \(r), activation \(a): \(one) vs llama.cpp \(reference)")
                    #expect(four[a].bitPattern == one.bitPattern, "row \(r), activation \(a): four-token \(four[a]) vs \(one)")
                }
            }
        }
    }
}
