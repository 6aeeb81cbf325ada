#!/usr/bin/env bash
# fuzz/run.sh — coverage-guided fuzzing (libFuzzer) of the email parser and the handover-list readers.
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]
#   SECONDS_PER_TARGET  how long each target runs (default 60); TARGETs: mail, csv, xlsx (default all)
# Builds the targets in .build-fuzz (release, -sanitize=fuzzer,address), runs each from its committed
# seed corpus fuzz/corpus/NAME/ plus what earlier runs found (.build-fuzz/corpus/NAME/, outside git),
# prints one line per target (seconds, executions, new corpus entries, crashes) and exits 1 when any
# target crashed, hung for more than 10 s on one input or went past 2 GB (the input is then in
# fuzz/crashes/; replay it with the command printed). Needs only the Swift toolchain, whose clang
# runtime ships libFuzzer. One process per target, one target at a time.
set -euo pipefail

root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)"
cd -- "$root"

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz/run.sh: SECONDS_PER_TARGET must be a whole number of seconds, not '$seconds'" >&2
  exit 64
fi
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(mail csv xlsx)

declare -A product=([mail]=MailFuzz [csv]=CSVFuzz [xlsx]=XLSXFuzz)
declare -A seeds=([mail]=mime [csv]=csv [xlsx]=xlsx)
declare -A dictionary=([mail]=fuzz/mail.dict [csv]=fuzz/csv.dict [xlsx]=fuzz/xlsx.dict)
for target in "${targets[@]}"; do
  [[ -n "${product[$target]:-}" ]] || {
    echo "fuzz/run.sh: no target '$target'; the targets are mail, csv and xlsx" >&2
    exit 64
  }
done

swiftc_path="$(command -v swiftc || true)"
[[ -n "$swiftc_path" ]] || {
  echo "fuzz/run.sh: swiftc is not on PATH; install the Swift toolchain as deploy/setup does" >&2
  exit 69
}
toolchain="$(dirname -- "$(readlink -f -- "$swiftc_path")")/.."
if ! compgen -G "$toolchain/lib/swift/clang/lib/*/libclang_rt.fuzzer*" > /dev/null; then
  echo "fuzz/run.sh: this Swift toolchain ($toolchain) has no libFuzzer runtime (libclang_rt.fuzzer);" \
    "use a swift.org toolchain for Linux, which ships it" >&2
  exit 69
fi

scratch=.build-fuzz
mkdir -p fuzz/crashes "$scratch/corpus" "$scratch/logs"
# A folder of logs per run, so that two runs at once (CI and a person) do not mix them up.
logs="$(mktemp -d "$scratch/logs/run-XXXXXX")"
# shellcheck disable=SC2012 # names made by mktemp: no spaces
ls -dt "$scratch"/logs/run-* | tail -n +21 | xargs -r rm -rf

# DOCKET_FUZZ=1 makes Package.swift declare the fuzz targets. Each target's `main` runs libFuzzer's
# driver (LLVMFuzzerRunDriver) on its LLVMFuzzerTestOneInput; -parse-as-library lets that `main` be
# an `@main` type. The coverage instrumentation covers every Swift module the target links.
build=(swift build -c release --scratch-path "$scratch" -Xswiftc "-sanitize=fuzzer,address" -Xswiftc -parse-as-library)
for target in "${targets[@]}"; do
  echo "fuzz/run.sh: building ${product[$target]}" >&2
  if ! DOCKET_FUZZ=1 "${build[@]}" --product "${product[$target]}" >&2; then
    echo "fuzz/run.sh: building ${product[$target]} failed (see above)" >&2
    exit 70
  fi
done
bin="$(DOCKET_FUZZ=1 "${build[@]}" --show-bin-path)"

# Leak reports are off: the Swift runtime's and Foundation's caches live until exit and would be
# reported as leaks; a leak that matters grows the process, which -rss_limit_mb catches.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:handle_abort=1}"
# libFuzzer and the sanitizer print the stack of a crash; Swift's own backtracer would only make
# every crash take longer.
export SWIFT_BACKTRACE=enable=no

failed=0
printf '%-6s %8s %12s %11s %8s\n' target seconds executions new_inputs crashes
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  log="$logs/$target.log"
  started=$SECONDS
  status=0
  # New inputs go to the scratch corpus (first directory); the committed seeds are only read.
  "$bin/${product[$target]}" "$corpus" "fuzz/corpus/${seeds[$target]}" \
    -dict="${dictionary[$target]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="fuzz/crashes/$target-" > "$log" 2>&1 || status=$?
  elapsed=$((SECONDS - started))
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  added="$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)"
  # libFuzzer stops at the first crash, hang (-timeout) or memory blow-up (-rss_limit_mb) and
  # writes the input; any other failure (it could not start) counts as one too.
  crashes="$(grep -c 'Test unit written to' "$log" || true)"
  if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes=1; fi
  printf '%-6s %8s %12s %11s %8s\n' "$target" "$elapsed" "${runs:-?}" "${added:-?}" "$crashes"
  if [[ $crashes -gt 0 ]]; then
    failed=1
    {
      echo "fuzz/run.sh: $target failed (exit $status); the end of $log:"
      grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*precondition failed|.*Assertion failed|ALARM|artifact_prefix|Test unit written)' "$log" | tail -n 8 || true
      tail -n 15 "$log"
      artifact="$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)"
      echo "replay: SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $bin/${product[$target]} ${artifact:-fuzz/crashes/FILE}"
      echo "then fix the reader, and add the input as a regression test (Tests/Docket*Tests/HostileInputTests.swift)"
    } >&2
  fi
done
exit "$failed"
