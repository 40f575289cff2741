#!/usr/bin/env bash
# Back-to-back A/B of JMH throughput benchmarks on a noisy machine: runs each jar in turn, for a
# number of rounds, and prints per benchmark the median (and range) of each run's measured
# iterations.
#
#   scripts/jmh-ab.sh "CastBenchmark.genServer" 3 /tmp/before.jar /tmp/after.jar
#
# Build a jar per commit first, e.g. `git worktree add /tmp/before <rev>` and, in each tree,
# `./mvnw -pl starter/supervision-benchmarks -am package -DskipTests`, then copy
# starter/supervision-benchmarks/target/benchmarks.jar. JAVA overrides the java command.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 <benchmark regex> <rounds> <jar>..." >&2
  exit 2
fi
pattern=$1
rounds=$2
shift 2
java_cmd=${JAVA:-java}
for _ in $(seq "$rounds"); do
  for jar in "$@"; do
    # One line per benchmark the regex selects: the median of its measured iterations.
    summary=$("$java_cmd" -jar "$jar" "$pattern" -wi 2 -w 1 -i 8 -r 1 -f 1 2>&1 |
      awk '
        /^# Benchmark: / { name = $3; sub(/.*\./, "", name) }
        /^Iteration/ { print name, $3 }' |
      sort -k1,1 -k2,2g |
      awk '
        function flush() {
          if (n > 0) printf "  %s median %.2f M/s (min %.2f, max %.2f)\n", name, v[int((n + 1) / 2)] / 1e6, v[1] / 1e6, v[n] / 1e6
        }
        $1 != name { flush(); name = $1; n = 0 }
        { v[++n] = $2 }
        END { flush() }')
    echo "$jar:"
    echo "${summary:-  no iterations}"
  done
done
