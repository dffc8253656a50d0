#!/usr/bin/env bash
# Fuzzes every Jazzer target with JAZZER_FUZZ=1, one after another, for N seconds each
# (default 600), and reports pass/fail per target. Usage: bench/fuzz.sh [seconds] [filter]
# where filter, if given, keeps only targets whose name contains it.
#
# Under plain `mvn test` the same @FuzzTest methods only replay their committed seeds
# (src/test/resources/<package>/<Class>Inputs/<method>/). Here libFuzzer mutates them: a
# crashing input is written into that seed directory as crash-<sha1>, so once the bug is fixed
# it stays a regression test; the growing working corpus goes to <module>/.cifuzz-corpus/ (not
# committed). Logs: target/fuzz/<target>.log. Run on an otherwise idle machine: one JVM at a time.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
filter="${2:-}"
targets=(
  "protocol dev.meridian.protocol.codec.FrontendStartupFuzzTest#startupPhase"
  "protocol dev.meridian.protocol.codec.FrontendMessageFuzzTest#messagePhase"
  "protocol dev.meridian.protocol.codec.BackendDecoderFuzzTest#backendMessages"
  "protocol dev.meridian.protocol.codec.MessageScannerFuzzTest#scanInPieces"
  "protocol dev.meridian.protocol.auth.ScramServerFuzzTest#clientFirstMessage"
  "protocol dev.meridian.protocol.auth.ScramServerFuzzTest#clientFinalMessage"
  "protocol dev.meridian.protocol.auth.ScramClientFuzzTest#serverFirstMessage"
  "protocol dev.meridian.protocol.auth.ScramClientFuzzTest#serverFinalMessage"
  "protocol dev.meridian.protocol.auth.ScramVerifierFuzzTest#parse"
  "proxy dev.meridian.proxy.session.HaProxyFuzzTest#proxyHeader"
  "proxy dev.meridian.proxy.config.ConfigLoaderFuzzTest#parse"
)

# The proxy module's tests need the protocol module (and its test-jar) installed.
./mvnw -B -q -DskipTests install || { echo "build failed"; exit 2; }
mkdir -p target/fuzz
started=target/fuzz/.started
touch "$started"

failed=0
results=()
for entry in "${targets[@]}"; do
  module="${entry%% *}"
  test="${entry#* }"
  name="${test##*.}"
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  log="target/fuzz/${name//#/.}.log"
  printf '%-52s %ss ... ' "$name" "$seconds"
  start=$(date +%s)
  JAZZER_FUZZ=1 ./mvnw -B test -pl "$module" -Dtest="$test" -Djazzer.max_duration="${seconds}s" \
      -Djazzer.hooks=true -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  runs=$(grep -Eo '^Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  elapsed=$(( $(date +%s) - start ))
  if [[ $rc -eq 0 ]]; then
    verdict="PASS"
  else
    verdict="FAIL"
    failed=1
  fi
  echo "$verdict (${runs:-?} runs, ${elapsed}s wall)"
  results+=("$verdict $name ${runs:-?} runs  log: $log")
done

echo
printf '%s\n' "${results[@]}"
if [[ $failed -ne 0 ]]; then
  echo "Crashing inputs saved next to the seeds (rename them to say what they found, commit them):"
  find protocol/src/test/resources proxy/src/test/resources -path '*Inputs/*' -name 'crash-*' \
      -newer "$started" | sed 's/^/  /'
fi
exit $failed
