import Testing
@testable import Runtime

@Test("the bounded heap returns what a full sort would: best first, ties by lower index, filtered")
func topIndicesEqualASort() {
    var random = TestRandom(seed: 21)
    for round in 0..<200 {
        let count = Int(random.next() % 300)
        // Few distinct values, so ties are common.
        let scores = (0..<count).map { _ in Float(random.next() % 17) - 8 }
        let limit = Int(random.next() % 40)
        let include: (Int) -> Bool = round % 2 == 0 ? { _ in true } : { $0 % 3 != 0 }
        let expected = Array((0..<count).filter(include).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(limit))
        #expect(TopIndices.largest(count, limit: limit, score: { scores[$0] }, include: include) == expected, "round \(round)")
    }
}
