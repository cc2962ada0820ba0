#!/usr/bin/env bash
# Prepares what tools/gpu/run-on-device.sh needs on a machine that has only a GPU driver (no JDK, no
# network): run HERE, at the repository root, before a device session.
#   - builds the jars (tests skipped): tools/target/rankfold-tools-*.jar + tools/target/lib/*, and
#     benchmarks/target/rankfold-benchmarks-*.jar + benchmarks/target/lib/* (OpenClSmoke)
#   - jlinks a small JRE into ./jre (java.base, java.logging, jdk.incubator.vector: about 44 MiB)
#   - copies this machine's OpenCL ICD loader into ./gpu-lib/ in case the device machine has none
#     (its CUDA toolkit usually ships one; the run script prefers the system's)
#   - adds jre/ and gpu-lib/ to .git/info/exclude so they travel only when carried
# Then carry: jre, gpu-lib, tools/target, benchmarks/target
# (e.g. run(carry=[jre, gpu-lib, tools/target, benchmarks/target], ...)).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
rankfold_find_jdk
rankfold_find_mvn
JAVA_HOME="$RANKFOLD_JAVA_HOME" "$RANKFOLD_MVN" -B -q -ntp -DskipTests package -pl tools,benchmarks -am
rm -rf jre
"$RANKFOLD_JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --output jre
mkdir -p gpu-lib
loader="$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF; exit}')"
if [ -n "$loader" ]; then
  cp -L "$loader" gpu-lib/libOpenCL.so.1
else
  echo "prepare-carry: no local libOpenCL.so.1 to copy (apt-get install ocl-icd-libopencl1); the device must have one" >&2
fi
for p in /jre/ /gpu-lib/; do
  grep -qxF "$p" .git/info/exclude 2>/dev/null || echo "$p" >> .git/info/exclude
done
du -sh jre gpu-lib tools/target/*.jar tools/target/lib benchmarks/target/*.jar benchmarks/target/lib 2>/dev/null
