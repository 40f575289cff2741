#!/usr/bin/env bash
# Runs a command and then prints how much CPU time the hypervisor took from this machine while it
# ran (the "steal" column of /proc/stat), as a share of all CPU time. On a shared 2-vCPU host the
# latency percentiles of the benchmarks move with it: read a figure together with its steal.
#
#   scripts/steal.sh java -jar starter/supervision-benchmarks/target/benchmarks.jar CallBenchmark
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
read -r _ before_user before_nice before_system before_idle before_iowait before_irq before_softirq before_steal _ < /proc/stat
status=0
"$@" || status=$?
read -r _ user nice system idle iowait irq softirq steal _ < /proc/stat
total=$(((user - before_user) + (nice - before_nice) + (system - before_system) + (idle - before_idle) +
  (iowait - before_iowait) + (irq - before_irq) + (softirq - before_softirq) + (steal - before_steal)))
stolen=$((steal - before_steal))
if [ "$total" -gt 0 ]; then
  awk -v s="$stolen" -v t="$total" 'BEGIN { printf "steal: %.1f %% of CPU time (%d of %d ticks)\n", 100 * s / t, s, t }' >&2
fi
exit "$status"
