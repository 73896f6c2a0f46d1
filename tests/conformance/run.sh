#!/usr/bin/env bash
# Runs cel-spec's simple conformance tests (tests/simple/testdata/*.textproto) through `fleet eval -`
# and reports the pass rate over the tests that need only what Fleet's CEL supports.
#
#   tests/conformance/run.sh [CEL_SPEC] [--report FILE] [--min-pass-rate PERCENT]
#
# CEL_SPEC is a cel-spec checkout, or a bare git directory of one (read at HEAD). Without it the script
# clones https://github.com/google/cel-spec into a temporary directory. Nothing of cel-spec is kept.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source_dir="${1:-}"
if [[ $# -gt 0 && "$1" != --* ]]; then shift; else source_dir=""; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -z "$source_dir" ]]; then
  git clone --quiet --depth 1 https://github.com/google/cel-spec "$work/cel-spec"
  testdata="$work/cel-spec/tests/simple/testdata"
elif [[ -d "$source_dir/tests/simple/testdata" ]]; then
  testdata="$source_dir/tests/simple/testdata"
else
  git --git-dir="$source_dir" archive HEAD tests/simple/testdata | tar -x -C "$work"
  testdata="$work/tests/simple/testdata"
fi

dotnet build "$repo/src/Fleet.Cli" -c Release -o "$work/fleet" -v quiet -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }
dotnet build "$repo/tests/conformance/CelConformance" -c Release -o "$work/runner" -v quiet -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }
dotnet "$work/runner/CelConformance.dll" "$testdata" "$work/fleet/fleet.dll" "$@"
