#!/usr/bin/env python3
"""PyTorch -> Rankfold: builds a zoo model in PyTorch (the definitions of torch_roundtrip.py), gives it seeded
random weights and BatchNorm statistics, saves its state_dict as safetensors (written here, byte by byte, by the
format's rules) and as npz (numpy.savez), computes its logits on a seeded batch (REF.npz: 'input', 'logits'),
then runs `rankfold import --reference REF.npz` on both files: Rankfold rebuilds the model from the file and
compares its own logits with PyTorch's. Use Debian's python (apt-get install python3-torch), e.g.
  /usr/bin/python3 tools/interop/torch_to_rankfold.py --net resnet20 --size 16 --rankfold ./rankfold
  /usr/bin/python3 tools/interop/torch_to_rankfold.py --net resnet20 --factorize layer2.1.conv2 --json
--factorize LAYER makes that convolution a factorized one (1x1 -> kxk -> 1x1 at half the channel counts), the
form `rankfold compress` produces. Prints max |logit difference| per file; exits 1 if an import fails or the
difference exceeds 1e-4 x max |logit| (rankfold import checks that itself).
"""
import argparse, json, os, struct, subprocess, sys, tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_roundtrip import NETS  # noqa: E402  (same directory)

ST_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64", np.dtype(np.int32): "I32"}


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout: u64 little-endian header length N, N bytes of UTF-8 JSON header (padded with spaces
    to a multiple of 8), then the tensors' little-endian bytes, contiguous, in header order, offsets from 0."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, arr in tensors.items():
        a = np.ascontiguousarray(arr)
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": ST_DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def factorized_template(model, layer):
    """The state dict of model with `layer` (a kxk conv) stored as factors a (R_in x C), g (R_out x R_in x k x k),
    b (S x R_out): only the shapes matter, the builders of torch_roundtrip.py read them."""
    sd = {k: v.numpy() for k, v in model.state_dict().items()}
    w = sd.pop(f"{layer}.weight")
    s, c, kh, kw = w.shape
    r_in, r_out = max(1, c // 2), max(1, s // 2)
    sd[f"{layer}.a.weight"] = np.zeros((r_in, c, 1, 1), np.float32)
    sd[f"{layer}.g.weight"] = np.zeros((r_out, r_in, kh, kw), np.float32)
    sd[f"{layer}.b.weight"] = np.zeros((s, r_out, 1, 1), np.float32)
    return sd


def randomize(model, gen):
    """Weights keep PyTorch's initialization; BatchNorm gets non-trivial affine parameters and statistics, so the
    import of every BatchNorm tensor matters to the logits."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.uniform_(-0.5, 0.5, generator=gen)
                m.running_mean.uniform_(-0.5, 0.5, generator=gen)
                m.running_var.uniform_(0.5, 2.0, generator=gen)
                m.num_batches_tracked.fill_(7)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--net", choices=sorted(NETS), required=True)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--size", type=int, default=16)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--factorize", metavar="LAYER", help="store this conv as a factorized one (e.g. layer2.1.conv2)")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--rankfold", default="./rankfold", help="the launcher (default ./rankfold)")
    p.add_argument("--work", help="directory for the files (default: a new temporary one)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    build = NETS[a.net]
    model = build(None, a.channels, a.size, a.classes)
    if a.factorize:
        model = build(factorized_template(model, a.factorize), a.channels, a.size, a.classes)
    randomize(model, gen)
    model.eval()
    x = (torch.rand((a.batch, a.channels, a.size, a.size), generator=gen) * 2 - 1).float()
    with torch.no_grad():
        logits = model(x).numpy()
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}

    work = a.work or tempfile.mkdtemp(prefix="torch_to_rankfold-")
    os.makedirs(work, exist_ok=True)
    stem = os.path.join(work, a.net + ("-factorized" if a.factorize else ""))
    files = {"safetensors": stem + ".safetensors", "npz": stem + ".npz"}
    write_safetensors(files["safetensors"], sd, {"format": "pt"})
    np.savez(files["npz"], **sd)
    ref = stem + ".torch-ref.npz"
    np.savez(ref, input=x.numpy(), logits=logits)

    results, ok = [], True
    for fmt, path in files.items():
        cmd = [a.rankfold, "import", "--model", a.net, "--size", str(a.size), path, "--out", f"{stem}-{fmt}-checkpoint",
               "--reference", ref, "--json"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            ok = False
            results.append({"file": path, "ok": False, "error": run.stderr.strip()})
            continue
        out = json.loads(run.stdout.strip().splitlines()[-1])
        r = out["reference"]
        results.append({"file": path, "format": fmt, "tensors": out["tensors"], "max_abs_diff": r["max_abs_diff"],
                        "max_abs_logit": r["max_abs_logit"], "ok": True})
    summary = {"net": a.net, "factorized": a.factorize, "batch": a.batch, "input": [a.channels, a.size, a.size],
               "torch": torch.__version__, "results": results, "ok": ok}
    if a.json:
        print(json.dumps(summary))
    else:
        for r in results:
            if r["ok"]:
                print(f"{r['file']}: {a.net}{' (' + a.factorize + ' factorized)' if a.factorize else ''}, {r['tensors']} tensors "
                      f"imported by rankfold; max |logit diff| vs PyTorch {r['max_abs_diff']:.3g} (max |logit| "
                      f"{r['max_abs_logit']:.3g}): ok")
            else:
                print(f"{r['file']}: FAIL: {r['error']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
