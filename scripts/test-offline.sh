#!/usr/bin/env bash
# The offline check of release archives (made by `./rankfold dist`; CI runs it from .ci/run):
#   scripts/test-offline.sh ARCHIVE.tar.gz...
# Each archive is unpacked into an empty folder and run there with no network (a new network namespace,
# `unshare -n`), HOME an empty folder (no ~/.m2), and a PATH of a few shell tools (no mvn, no java):
# `rankfold --version`, `rankfold compress --preset quick --data sample`, `rankfold verify` on that run, and
# `rankfold predict` of its compressed model on a .npy batch. An archive without runtime/
# gets the system JDK through JAVA_HOME; one with runtime/ gets no JAVA_HOME, the system JDK folders are
# hidden (a mount namespace puts an empty tmpfs over /usr/lib/jvm and the JDK the scripts find) and
# java.home must lie in the archive.
# Without unshare (not root, or no namespaces) it runs the same steps with the network present, and says so.
# RANKFOLD_OFFLINE_COMPRESS_ARGS adds options to the compress step (e.g. --limit-train 500 to be quicker).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/test-offline.sh ARCHIVE.tar.gz..." >&2; exit 2; }
ROOT="$(dirname "$(dirname "$(readlink -f "$0")")")"
. "$ROOT/scripts/find-jdk.sh"

isolate=()
if unshare -n true 2>/dev/null; then
  isolate=(unshare -n)
  if unshare -n -m true 2>/dev/null; then isolate=(unshare -n -m); fi
else
  echo "test-offline: cannot make a network namespace (unshare -n needs root or user namespaces); the steps run WITH the network"
fi
# The folders an archive with its own runtime must not use: the system JDK and /usr/lib/jvm. An empty tmpfs is
# mounted over each inside the namespace, where a mount namespace and tmpfs mounts are allowed.
hidden=()
if [ "${isolate[*]}" = "unshare -n -m" ]; then
  # the JDK first: it may lie inside /usr/lib/jvm, which is then no longer there to mount over
  for d in "$( (rankfold_find_jdk && echo "$RANKFOLD_JAVA_HOME") 2>/dev/null || true)" /usr/lib/jvm; do
    if [ -n "$d" ] && [ -d "$d" ] && unshare -n -m sh -c "mount -t tmpfs tmpfs '$d'" 2>/dev/null; then hidden+=("$d"); fi
  done
fi

# A .npy batch of two 28x28 grey images (zeros) for predict: NumPy's format written by hand.
write_npy() {
  local header="{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 28, 28), }"
  while [ $(( (10 + ${#header} + 1) % 64 )) -ne 0 ]; do header="$header "; done
  { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $(( (${#header} + 1) % 256 )))\\x$(printf %02x $(( (${#header} + 1) / 256 )))";
    printf '%s\n' "$header"; head -c $((2 * 28 * 28 * 4)) /dev/zero; } >"$1"
}

check_archive() {
  local archive
  archive="$(readlink -f "$1")"
  local work
  work="$(mktemp -d)"
  local top
  top="$(tar tzf "$archive" | head -n1 | cut -d/ -f1)"
  mkdir "$work/unpacked" "$work/home" "$work/path" "$work/job"
  tar xzf "$archive" -C "$work/unpacked"
  local dir="$work/unpacked/$top"
  [ -x "$dir/bin/rankfold" ] || { echo "test-offline: $archive has no $top/bin/rankfold"; return 1; }
  # The PATH the steps get: these tools only.
  local t
  for t in bash sh env dirname basename readlink grep sed head tail tee cat ls cut tr rm mkdir mktemp uname sort wc; do
    ln -s "$(command -v "$t")" "$work/path/$t"
  done
  write_npy "$work/job/two-images.npy"
  local bundled=0 java_env=()
  if [ -x "$dir/runtime/bin/java" ]; then
    bundled=1
  else
    rankfold_find_jdk
    java_env=("JAVA_HOME=$RANKFOLD_JAVA_HOME")
  fi
  cat >"$work/job/steps.sh" <<STEPS
set -euo pipefail
cd "$work/job"
echo "network interfaces: \$(cut -d: -f1 -s /proc/net/dev | tr -d ' ' | tr '\n' ' ')"
if command -v mvn >/dev/null 2>&1 || command -v java >/dev/null 2>&1; then echo "mvn or java on PATH"; exit 1; fi
R="$dir/bin/rankfold"
"\$R" --version | tee version.txt
grep -q '(commit ' version.txt
if [ $bundled = 1 ]; then grep -q " at $dir/runtime\$" version.txt || { echo "java.home is not the bundled runtime"; exit 1; }; fi
"\$R" compress --preset quick --data sample --threads 2 --quiet --out run ${RANKFOLD_OFFLINE_COMPRESS_ARGS:-} | tail -n 4
"\$R" verify run
"\$R" predict run/checkpoints/full-finetune two-images.npy
STEPS
  local hide="" h
  if [ "$bundled" = 1 ]; then
    for h in "${hidden[@]}"; do hide="${hide}mount -t tmpfs tmpfs '$h' && "; done
  fi
  echo "test-offline: $(basename "$archive") in $work ($([ $bundled = 1 ] && echo "bundled runtime; hidden: ${hidden[*]:-nothing (no mount namespace), java.home is checked}" || echo "system JDK $RANKFOLD_JAVA_HOME"))"
  local rc=0
  local start=$SECONDS
  "${isolate[@]}" bash -c "${hide}exec env -i HOME=\"$work/home\" PATH=\"$work/path\" RANKFOLD_HEAP=\"${RANKFOLD_HEAP:-2g}\" ${java_env[*]} bash \"$work/job/steps.sh\"" || rc=$?
  if [ -n "$(ls -A "$work/home")" ]; then echo "test-offline: the run wrote into HOME: $(ls -A "$work/home")"; rc=1; fi
  if [ "$rc" = 0 ]; then
    echo "test-offline: $(basename "$archive") passed ($((SECONDS - start)) s)"
    rm -rf "$work"
  else
    echo "test-offline: $(basename "$archive") FAILED (exit $rc); its folder is kept: $work"
  fi
  return "$rc"
}

status=0
for a in "$@"; do
  check_archive "$a" || status=1
done
exit "$status"
