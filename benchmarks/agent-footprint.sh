#!/bin/bash
# Idle footprint of one fleet-agent (files driver) connected to a local --insecure hub: RSS after 20 s and 80 s,
# peak RSS, and CPU over the 60 s in between. Usage: benchmarks/agent-footprint.sh AGENT-BINARY [ENV=VALUE ...]
# Build the binaries first (see docs/benchmarks.md); needs a Linux /proc.
set -euo pipefail
agent=$1; shift
work=$(mktemp -d)
trap 'kill $hub_pid $agent_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
"${HUB:?set HUB to a published fleet-hub binary}" --urls "http://127.0.0.1:$port" --insecure --data-dir "$work/hub" \
  --silo-port $((port + 1)) --gateway-port $((port + 2)) > "$work/hub.log" 2>&1 &
hub_pid=$!
sleep 8
env "$@" "$agent" --hub "http://127.0.0.1:$port" --insecure --name footprint --driver files --root "$work/root" \
  --state-dir "$work/state" --label env=dev > "$work/agent.log" 2>&1 &
agent_pid=$!
sleep 20
rss20=$(awk '/VmRSS/ {print $2}' /proc/$agent_pid/status)
t1=$(awk '{print $14+$15}' /proc/$agent_pid/stat)
sleep 60
t2=$(awk '{print $14+$15}' /proc/$agent_pid/stat)
rss80=$(awk '/VmRSS/ {print $2}' /proc/$agent_pid/status)
peak=$(awk '/VmHWM/ {print $2}' /proc/$agent_pid/status)
grep -q "Connected to hub" "$work/agent.log" || { echo "agent never connected:"; cat "$work/agent.log"; exit 1; }
cpu=$(awk -v a="$t1" -v b="$t2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", (b - a) * 100 / hz / 60 }')
echo "rss_20s_kB=$rss20 rss_80s_kB=$rss80 peak_kB=$peak cpu_percent=$cpu"
