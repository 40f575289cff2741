#!/usr/bin/env bash
# Back-to-back A/B of JMH sample-mode (latency) benchmarks on a noisy machine: runs each jar in
# turn, for a number of rounds, with the benchmarks' own warm-up and measurement settings, and
# prints per benchmark its p50 and p99 (µs) and the hypervisor's steal during that jar's run.
#
#   scripts/jmh-ab-latency.sh "CallBenchmark.genServerCall" 4 /tmp/before.jar /tmp/after.jar
#
# JVMARGS is appended to the forked JVM's arguments (e.g. JVMARGS=-Ddev.supervision.spinNanos=0);
# JAVA overrides the java command. Build the jars as scripts/jmh-ab.sh says.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 <benchmark regex> <rounds> <jar>..." >&2
  exit 2
fi
pattern=$1
rounds=$2
shift 2
java_cmd=${JAVA:-java}
steal_sh=$(dirname "$0")/steal.sh
for _ in $(seq "$rounds"); do
  for jar in "$@"; do
    args=(-jar "$jar" "$pattern" -f 1)
    if [ -n "${JVMARGS:-}" ]; then
      args+=(-jvmArgsAppend "$JVMARGS")
    fi
    out=$("$steal_sh" "$java_cmd" "${args[@]}" 2>&1)
    steal=$(echo "$out" | awk '/^steal:/ { print $2 }')
    echo "$out" | awk -v jar="$(basename "$jar")" -v steal="$steal" '
      /:p0.50 / { n = $1; sub(/:p0.50/, "", n); p50[n] = $(NF - 1) }
      /:p0.99 / { n = $1; sub(/:p0.99/, "", n); p99[n] = $(NF - 1) }
      END {
        for (n in p50) printf "%-12s %-46s p50 %9s  p99 %9s  steal %s %%\n", jar, n, p50[n], p99[n], steal
      }'
  done
done
