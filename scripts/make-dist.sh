#!/usr/bin/env bash
# `./rankfold dist --out DIR [--jlink]`: builds the CLI (Maven, tests skipped) and packs a release that runs
# with no Maven, no network and nothing in $HOME:
#   DIR/rankfold-VERSION.tar.gz               needs a JDK 25 on the target machine
#   DIR/rankfold-VERSION-OS-ARCH.tar.gz       with --jlink: also runtime/, a jlink image of the modules the
#                                             jars need (found by jdeps), so no JDK is needed at all
# Each unpacks into rankfold-VERSION/: bin/rankfold, lib/ (all jars; the Fashion-MNIST sample is a resource
# of the datasets jar), scripts/ (JDK finder, JVM flags, JIT directives), docs/, README.md, BUILD.txt.
set -euo pipefail
ROOT="$(dirname "$(dirname "$(readlink -f "$0")")")"
usage() {
  cat <<'USAGE'
Usage: ./rankfold dist --out DIR [--jlink]
Makes DIR/rankfold-VERSION.tar.gz (needs a JDK 25 where it runs) and, with --jlink,
DIR/rankfold-VERSION-OS-ARCH.tar.gz with a bundled Java runtime (needs no JDK).
Environment: RANKFOLD_MVN_ARGS adds Maven arguments (e.g. -o to build offline).
USAGE
}
out=""
jlink=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "rankfold dist: --out needs a directory" >&2; exit 2; }; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --jlink) jlink=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rankfold dist: unknown argument '$1'; run './rankfold dist --help' for usage" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "rankfold dist: --out DIR is required; run './rankfold dist --help' for usage" >&2; exit 2; }

. "$ROOT/scripts/find-jdk.sh"
rankfold_find_jdk
rankfold_find_mvn
commit="$(rankfold_commit "$ROOT")"
echo "rankfold dist: building the CLI at commit $commit (tests skipped)..." >&2
log="$(mktemp)"
# shellcheck disable=SC2086  # RANKFOLD_MVN_ARGS is split on purpose
if ! (cd "$ROOT" && JAVA_HOME="$RANKFOLD_JAVA_HOME" "$RANKFOLD_MVN" -B -q -ntp ${RANKFOLD_MVN_ARGS:-} -DskipTests \
    -Dmaven.test.skip.exec=true -Drankfold.commit="$commit" package -pl tools -am >"$log" 2>&1); then
  cat "$log" >&2; rm -f "$log"
  echo "rankfold dist: build failed (log above)." >&2
  exit 1
fi
rm -f "$log"
touch "$ROOT/tools/target/.rankfold-built"  # the source launcher need not build again

tools_jar="$(ls "$ROOT"/tools/target/rankfold-tools-*.jar | head -n1)"
version="$(basename "$tools_jar" .jar)"
version="${version#rankfold-tools-}"
name="rankfold-$version"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
d="$stage/$name"
mkdir -p "$d/bin" "$d/lib" "$d/scripts"
cp "$tools_jar" "$ROOT"/tools/target/lib/*.jar "$d/lib/"
cp "$ROOT/scripts/find-jdk.sh" "$ROOT/scripts/run-cli.sh" "$ROOT/scripts/jit-directives.json" "$d/scripts/"
cp "$ROOT/scripts/release-launcher.sh" "$d/bin/rankfold"
chmod 755 "$d/bin/rankfold"
cp -R "$ROOT/docs" "$d/docs"
cp "$ROOT/README.md" "$d/"
[ -f "$ROOT/LICENSE" ] && cp "$ROOT/LICENSE" "$d/"
{
  echo "rankfold $version"
  echo "commit: $commit"
  echo "built with: $("$RANKFOLD_JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
  echo "run: bin/rankfold --help"
} >"$d/BUILD.txt"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Sorted names, fixed owner and time (the commit's), no gzip timestamp: the tar and gzip layers add nothing
# that depends on the machine or the hour (the jars still carry their build time).
mtime="@$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)"
pack() { # pack ARCHIVE: the staged folder as a gzipped tar
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" -C "$stage" -cf - "$name" | gzip -n -9 >"$1"
  echo "rankfold dist: wrote $1 ($(du -h "$1" | cut -f1))"
}
pack "$out/$name.tar.gz"

if [ "$jlink" = 1 ]; then
  # The modules the jars use, as jdeps finds them (java.desktop and java.sql come from Jackson and EJML),
  # plus jdk.management for the platform's CPU and memory information.
  modules="$("$RANKFOLD_JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$d"/lib/*.jar 2>/dev/null | tail -n1)"
  case "$modules" in java.base*) ;; *) echo "rankfold dist: jdeps gave no module list ('$modules')" >&2; exit 1 ;; esac
  for m in jdk.incubator.vector jdk.management; do
    case ",$modules," in *",$m,"*) ;; *) modules="$modules,$m" ;; esac
  done
  "$RANKFOLD_JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$d/runtime"
  echo "runtime: $modules (jlink image of $("$d/runtime/bin/java" -version 2>&1 | grep -v '^WARNING' | head -n1))" >>"$d/BUILD.txt"
  platform="$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m)"
  pack "$out/$name-$platform.tar.gz"
fi
