#!/usr/bin/env python3
"""Makes the DEFLATE/zlib reference fixtures: inputs of every block type compressed by Python's
zlib (C), with the expected CRC-32, Adler-32 and size, plus byte-flipped streams with zlib's verdict
on each (the inflated CRC-32, or the error). Deterministic (seeded); run from anywhere."""
import json, os, random, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "deflate")
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
os.makedirs(OUT, exist_ok=True)
rng = random.Random(1951)

korean = open(os.path.join(HERE, "korean-sample.txt"), "rb").read()
swift_source = open(os.path.join(ROOT, "Sources", "Documents", "Compression", "HuffmanTable.swift"), "rb").read()

def random_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))

def words(n):
    vocab = [w.encode() for w in "the press release 보도자료 서울시 축제 campaign 광고 대학교 인공지능 data".split()]
    out = bytearray()
    while len(out) < n:
        out += rng.choice(vocab) + b" "
    return bytes(out[:n])

def compress(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY, wbits=-15, chunks=1, flush=zlib.Z_SYNC_FLUSH):
    c = zlib.compressobj(level, zlib.DEFLATED, wbits, 8, strategy)
    out = b""
    step = max(1, len(data) // chunks)
    for i in range(0, len(data), step):
        out += c.compress(data[i:i + step])
        if chunks > 1:
            out += c.flush(flush)
    return out + c.flush()

cases = [
    ("empty", b"", {}),
    ("stored-random", random_bytes(70000), {"level": 0}),
    ("fixed-text", words(20000), {"strategy": zlib.Z_FIXED}),
    ("fixed-korean", korean, {"strategy": zlib.Z_FIXED, "level": 9}),
    ("dynamic-korean", korean, {"level": 9}),
    ("dynamic-source", swift_source, {"level": 6}),
    ("dynamic-words", words(60000), {"level": 1}),
    ("huffman-only", words(30000), {"strategy": zlib.Z_HUFFMAN_ONLY}),
    ("rle-runs", b"".join(bytes([rng.getrandbits(8)]) * rng.randint(1, 300) for _ in range(400)), {"strategy": zlib.Z_RLE}),
    ("random-default", random_bytes(20000), {"level": 6}),
    ("mixed-flushes", words(20000) + random_bytes(5000) + korean[:4000], {"chunks": 7}),
    ("full-flush", words(12000), {"chunks": 4, "flush": zlib.Z_FULL_FLUSH}),
    ("long-matches", (b"abc" * 5000) + (b"\x00" * 40000) + words(300) * 30, {"level": 9}),
    ("zlib-korean", korean, {"wbits": 15}),
    ("zlib-stored", random_bytes(3000), {"wbits": 15, "level": 0}),
]

manifest = []
for name, data, options in cases:
    stream = compress(data, **options)
    wrapper = "zlib" if options.get("wbits", -15) > 0 else "raw"
    assert zlib.decompress(stream, options.get("wbits", -15)) == data
    body = stream[2:] if wrapper == "zlib" else stream
    first_type = (body[0] >> 1) & 3 if body else None
    ext = "zlib" if wrapper == "zlib" else "deflate"
    open(os.path.join(OUT, f"{name}.{ext}"), "wb").write(stream)
    if len(data) <= 30000:
        open(os.path.join(OUT, f"{name}.raw"), "wb").write(data)
    manifest.append({"name": name, "wrapper": wrapper, "size": len(data), "crc32": zlib.crc32(data),
                     "adler32": zlib.adler32(data), "firstBlockType": first_type})

# Every block type appears as some stream's first block.
assert {m["firstBlockType"] for m in manifest if m["firstBlockType"] is not None} >= {0, 1, 2}

def verdict(stream, wbits):
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(stream, 1 << 22)
        if d.unconsumed_tail:
            return {"result": "limit"}
        out += d.flush()
    except zlib.error as error:
        return {"result": "error", "message": str(error).split(": ", 1)[-1]}
    if not d.eof:
        return {"result": "truncated"}
    return {"result": "ok", "crc32": zlib.crc32(out), "size": len(out), "consumed": len(stream) - len(d.unused_data)}

mutations = []
for source in ["fixed-text", "dynamic-korean", "dynamic-source", "stored-random", "mixed-flushes", "zlib-korean"]:
    entry = next(m for m in manifest if m["name"] == source)
    ext = "zlib" if entry["wrapper"] == "zlib" else "deflate"
    stream = open(os.path.join(OUT, f"{source}.{ext}"), "rb").read()
    wbits = 15 if entry["wrapper"] == "zlib" else -15
    for _ in range(100):
        flips = [(rng.randrange(min(len(stream), 600)), 1 << rng.randrange(8)) for _ in range(rng.randint(1, 3))]
        mutated = bytearray(stream)
        for offset, mask in flips:
            mutated[offset] ^= mask
        cut = rng.choice([None, None, None, rng.randrange(len(stream))])
        if cut is not None:
            mutated = mutated[:cut]
        mutations.append({"source": source, "flips": flips, "cut": cut, **verdict(bytes(mutated), wbits)})

json.dump({"streams": manifest, "mutations": mutations}, open(os.path.join(OUT, "manifest.json"), "w"), separators=(",", ":"))
print(f"{len(manifest)} streams, {len(mutations)} mutations:",
      {k: sum(1 for m in mutations if m["result"] == k) for k in ["ok", "error", "truncated", "limit"]})
