# Sourced by ./rankfold and ./run-tests: sets RANKFOLD_JAVA_HOME to a JDK >= 25, or explains and exits.
# Order: $JAVA_HOME, the java on PATH, then the usual install folders.
rankfold_java_major() { # prints the feature version of the java at $1/bin/java, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
rankfold_find_jdk() {
  local cand major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for cand in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$cand" ] && candidates+=("$cand")
  done
  for cand in "${candidates[@]}"; do
    major=$(rankfold_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ -x "$cand/bin/javac" ]; then
      RANKFOLD_JAVA_HOME="$cand"
      return 0
    fi
  done
  cat >&2 <<'MSG'
rankfold: no JDK 25 or newer found (looked at $JAVA_HOME, java on PATH, /usr/lib/jvm, /opt).
Install one, for example Eclipse Temurin 25:
  Debian/Ubuntu with the Adoptium repository:  sudo apt-get install temurin-25-jdk
  or download a JDK 25 archive, unpack it and:  export JAVA_HOME=/path/to/jdk-25
then run this command again.
MSG
  exit 2
}
rankfold_find_mvn() {
  if command -v mvn >/dev/null 2>&1; then RANKFOLD_MVN=mvn; return 0; fi
  echo "rankfold: Apache Maven (mvn) is needed to build; install it (e.g. sudo apt-get install maven)." >&2
  exit 2
}
rankfold_commit() { # the commit of the checkout at $1 for `rankfold --version` ("-dirty" with uncommitted changes), or "unknown"
  local c
  c=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; return 0; }
  if ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then c="$c-dirty"; fi
  echo "$c"
}
