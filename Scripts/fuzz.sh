#!/usr/bin/env bash
# Builds one libFuzzer target of Fuzz/ (with AddressSanitizer) and runs it for SECONDS on its
# committed seed corpus. Exits non-zero when the target crashes, leaks out of bounds or times out
# on one input; the input that did it is left in .build/fuzz/artifacts/TARGET/.
#
#   bash Scripts/fuzz.sh FuzzTemplate 60
#   bash Scripts/fuzz.sh all 12          # every target, 12 s each (what .ci/run does)
#
# Findings are kept out of the committed seeds: libFuzzer writes new inputs to a scratch copy.
# Leak detection is off: Foundation's Data(contentsOf:) leaks a 4 KiB buffer reading an empty file
# (Swift 6.3, FoundationEssentials.readBytesFromFile), which LeakSanitizer reports; traps and bad
# reads are what these targets look for.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh TARGET|all SECONDS}
seconds=${2:?usage: Scripts/fuzz.sh TARGET|all SECONDS}
targets=(FuzzTemplate FuzzYAML FuzzWorkflow FuzzCron FuzzPDF FuzzInflate FuzzOffice FuzzGGUF FuzzJSON FuzzSafetensors FuzzSSE FuzzHTTP FuzzBert FuzzHWP)
[ "$target" = all ] || targets=("$target")

swift build --package-path Fuzz --scratch-path .build/fuzz -c debug 2>&1 | grep -v "Cannot export local symbol" | tail -3
bin=$(swift build --package-path Fuzz --scratch-path .build/fuzz -c debug --show-bin-path)
for t in "${targets[@]}"; do
    [ -x "$bin/$t" ] || { echo "fuzz.sh: no target '$t' (see Fuzz/Targets)" >&2; exit 64; }
    work=.build/fuzz/corpus/$t artifacts=.build/fuzz/artifacts/$t
    rm -rf "$work"; mkdir -p "$work" "$artifacts"
    cp Fuzz/Corpus/$t/* "$work"/ 2>/dev/null || true
    log=.build/fuzz/$t.log
    max_len=65536
    [ "$t" = FuzzGGUF ] && max_len=262144   # the seed models are about 150 KB
    [ "$t" = FuzzBert ] && max_len=131072   # the seed BERT models are about 40 KB
    if ! ASAN_OPTIONS=detect_leaks=0 "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -max_len="$max_len" \
            -artifact_prefix="$artifacts/" -print_final_stats=1 "$work" >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "fuzz.sh: $t crashed; the input is in $artifacts/" >&2
        exit 1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    echo "$t: $runs runs in ${seconds}s ($((runs / seconds)) per second), no crash"
done
