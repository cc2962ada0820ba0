#!/usr/bin/env bash
# The OpenCL checks for a GPU device session, in one run (prepared by tools/gpu/prepare-carry.sh; needs
# only ./jre and the built jars, no network). Writes to $OUT (default ./gpu-out), at most 8 files:
#   env.txt       GPU, driver, OpenCL loader and ICD found, how they were found
#   devices.txt   `rankfold devices`          devices.json  `rankfold devices --json`
#   smoke.json    OpenClSmoke (benchmarks): every OpenCL kernel vs the scalar references on the first GPU, then SGEMM
#                 NN/NT/TN at SIZE^3 (default 4096) and every tiling that fits, GFLOP/s
#   torch.json    PyTorch fp32 matmul at SIZE^3 on the same GPU with TF32 disabled (the anchor)
#   train.json    `rankfold bench train --model resnet20 --device opencl`: images/s of device-resident steps
#   log.txt       everything printed
# Usage: tools/gpu/run-on-device.sh [SIZE] [REPS]      (about 2-3 minutes on an H200)
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
cd "$ROOT"
SIZE="${1:-4096}"
REPS="${2:-20}"
OUT="${OUT:-$ROOT/gpu-out}"
mkdir -p "$OUT"
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1

JAVA="${JAVA:-$ROOT/jre/bin/java}"
[ -x "$JAVA" ] || { echo "run-on-device: no java at $JAVA (run tools/gpu/prepare-carry.sh and carry jre)"; exit 2; }
# Signal chaining, as ./rankfold does (kernels' SignalHandlers): the driver may install its own handlers.
. "$ROOT/scripts/run-cli.sh"
rankfold_preload_jsig "$JAVA"
TOOLS_JAR="$(ls tools/target/rankfold-tools-*.jar 2>/dev/null | grep -v -- '-tests' | head -n1)"
[ -n "$TOOLS_JAR" ] || { echo "run-on-device: tools/target/rankfold-tools-*.jar missing (carry tools/target)"; exit 2; }
CP="$TOOLS_JAR:tools/target/lib/*"
BENCH_JAR="$(ls benchmarks/target/rankfold-benchmarks-*.jar 2>/dev/null | grep -v -- '-tests' | head -n1)"
[ -n "$BENCH_JAR" ] || { echo "run-on-device: benchmarks/target/rankfold-benchmarks-*.jar missing (carry benchmarks/target)"; exit 2; }
BENCH_CP="$BENCH_JAR:benchmarks/target/lib/*"

# --- find an OpenCL loader and the NVIDIA ICD -------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "uname: $(uname -a)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 || echo "nvidia-smi: not available"
  "$JAVA" -version 2>&1
} > "$OUT/env.txt"

loader=""
for cand in $(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 / {print $NF}') \
    /usr/local/cuda/lib64/libOpenCL.so.1 /usr/local/cuda/targets/x86_64-linux/lib/libOpenCL.so.1 \
    /usr/local/nvidia/lib64/libOpenCL.so.1 "$ROOT/gpu-lib/libOpenCL.so.1"; do
  if [ -f "$cand" ]; then loader="$cand"; break; fi
done
echo "OpenCL loader: ${loader:-none found}" >> "$OUT/env.txt"

# The loader finds drivers through /etc/OpenCL/vendors/*.icd; in containers the NVIDIA one is often
# missing while the driver library itself is mounted. Point the loader at it directly then.
icd_found=0
if ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
  echo "ICD files: $(cat /etc/OpenCL/vendors/*.icd | tr '\n' ' ')" >> "$OUT/env.txt"
  grep -qi nvidia /etc/OpenCL/vendors/*.icd && icd_found=1
fi
if [ "$icd_found" = 0 ]; then
  nv=""
  for cand in $(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1 / {print $NF}') \
      /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 \
      /usr/lib64/libnvidia-opencl.so.1; do
    if [ -f "$cand" ]; then nv="$cand"; break; fi
  done
  if [ -n "$nv" ]; then
    mkdir -p /tmp/rankfold-icd
    echo "$nv" > /tmp/rankfold-icd/nvidia.icd
    export OCL_ICD_VENDORS=/tmp/rankfold-icd OCL_ICD_FILENAMES="$nv"
    echo "NVIDIA ICD: $nv (via OCL_ICD_VENDORS/OCL_ICD_FILENAMES)" >> "$OUT/env.txt"
  else
    echo "NVIDIA ICD: libnvidia-opencl.so.1 not found (driver mounted without OpenCL?)" >> "$OUT/env.txt"
  fi
fi
cat "$OUT/env.txt"

JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms8g -Xmx8g -XX:+UseParallelGC)
[ -n "$loader" ] && JOPTS+=("-Drankfold.opencl.library=$loader")

# --- rankfold devices --------------------------------------------------------------------------------
timeout 120 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.rankfold.tools.Main devices > "$OUT/devices.txt" 2>&1
timeout 120 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.rankfold.tools.Main devices --json > "$OUT/devices.json" 2>>"$LOG"
cat "$OUT/devices.txt"

# --- correctness of every kernel + SGEMM GFLOP/s (first GPU is the default device) ---------------------
timeout 420 "$JAVA" "${JOPTS[@]}" -cp "$BENCH_CP" org.rankfold.benchmarks.opencl.OpenClSmoke \
  --gemm-size "$SIZE" --reps "$REPS" --tilings all > "$OUT/smoke.json"
echo "OpenClSmoke exit code: $? (0 all checks passed, 1 a check failed, 2 no OpenCL device)"

# --- whole training steps of resnet20 with the model resident on the GPU (batch 128) ----------------------
timeout 240 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.rankfold.tools.Main bench train --model resnet20 --batch 128 \
  --device opencl --runs 5 --warmup 5 --json > "$OUT/train.json" 2>>"$LOG"
echo "bench train exit code: $?"; cat "$OUT/train.json"

# --- the anchor: PyTorch fp32 matmul, TF32 off -------------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
  timeout 180 python3 - "$SIZE" "$REPS" > "$OUT/torch.json" <<'PY' || echo "torch anchor failed"
import json, sys, time
import torch
n, reps = int(sys.argv[1]), int(sys.argv[2])
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.set_float32_matmul_precision("highest")
a = torch.rand(n, n, device="cuda") * 2 - 1
b = torch.rand(n, n, device="cuda") * 2 - 1
out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "n": n, "reps": reps,
       "allow_tf32": torch.backends.cuda.matmul.allow_tf32}
for name, x, y in (("NN", a, b), ("NT", a, b.t()), ("TN", a.t(), b)):
    for _ in range(3):
        x @ y
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(reps):
        x @ y
    torch.cuda.synchronize()
    s = (time.perf_counter() - t0) / reps
    out[name] = {"seconds_per_gemm": s, "gflops": 2 * n ** 3 / s / 1e9}
print(json.dumps(out))
PY
  cat "$OUT/torch.json"
fi
ls -la "$OUT"
