# Sourced by ./rankfold and by a release's bin/rankfold (scripts/make-dist.sh): runs the CLI with the JVM
# flags both share.  rankfold_run_cli JAVA CLASSPATH JIT_DIRECTIVES ARGS...

# Signal chaining: libjsig.so of the JVM at JAVA (bin/java) keeps the JVM's signal handlers in place when an
# OpenCL driver installs its own (kernels' SignalHandlers explains the crash it prevents); exported in
# LD_PRELOAD for the java started next. Also used by tools/gpu/run-on-device.sh.  rankfold_preload_jsig JAVA
rankfold_preload_jsig() {
  local jsig
  jsig="$(dirname "$(dirname "$1")")/lib/libjsig.so"
  if [ -f "$jsig" ]; then
    export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
  fi
}

rankfold_run_cli() {
  local java="$1" cp="$2" directives="$3"
  shift 3
  # Fixed heap (-Xms = -Xmx) with transparent huge pages: first-touch page faults are very slow on virtual
  # machines (docs/architecture.md, memory). RANKFOLD_HEAP overrides the size, RANKFOLD_JAVA_OPTS adds flags.
  local heap="${RANKFOLD_HEAP:-4g}"
  # The JVM warns about the incubator module and counts the JIT directives on every start; both are expected
  # (README), so they are filtered.
  # The JIT directive file keeps C1 off the SGEMM micro-kernels: too large for C1 once the Vector API's
  # Java fallbacks are inlined, they could get stuck in C1 code ~100x slower (docs/benchmarks.md).
  rankfold_preload_jsig "$java"
  # shellcheck disable=SC2086  # RANKFOLD_JAVA_OPTS is split on purpose
  exec "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -XX:+UseTransparentHugePages -Xms"$heap" -Xmx"$heap" -Xss8m \
    -XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile="$directives" \
    ${RANKFOLD_JAVA_OPTS:-} -cp "$cp" org.rankfold.tools.Main "$@" 2> >(grep -v --line-buffered -E '^(WARNING: Using incubator modules|[0-9]+ compiler directives added$)' >&2)
}
