#!/usr/bin/env bash
# bin/rankfold of a release archive (made by scripts/make-dist.sh): runs the CLI from lib/ with the bundled
# Java runtime (runtime/, when the archive has one) or a JDK 25 found like the source launcher finds one.
# Needs no Maven, no network and nothing in $HOME.
set -euo pipefail
HERE="$(dirname "$(dirname "$(readlink -f "$0")")")"
if [ "${1:-}" = dist ]; then
  echo "rankfold dist: makes a release archive from a source checkout (./rankfold dist --out DIR); this is already a release" >&2
  exit 2
fi
if [ -x "$HERE/runtime/bin/java" ]; then
  JAVA="$HERE/runtime/bin/java"
else
  . "$HERE/scripts/find-jdk.sh"
  rankfold_find_jdk
  JAVA="$RANKFOLD_JAVA_HOME/bin/java"
fi
. "$HERE/scripts/run-cli.sh"
rankfold_run_cli "$JAVA" "$HERE/lib/*" "$HERE/scripts/jit-directives.json" "$@"
