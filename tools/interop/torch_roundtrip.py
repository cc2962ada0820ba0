#!/usr/bin/env python3
"""Loads weights exported by `rankfold export --format npz|safetensors` into the equivalent PyTorch model and
compares its logits with the ones Rankfold wrote beside them (`rankfold export --reference REF.npz`). Use
Debian's python (apt-get install python3-torch), e.g.
  ./rankfold export CK --format safetensors --out w.safetensors --reference w.ref.npz
  /usr/bin/python3 tools/interop/torch_roundtrip.py --net resnet20 w.safetensors w.ref.npz --json
Models: fashionnet and resnet20 (the zoo's definitions, PyTorch module names identical to Rankfold's, so
load_state_dict(strict=True) must accept the file as is). The file decides the variant: a BatchNorm whose
tensors are absent was folded (--fold-bn: the conv has a bias instead), and a conv stored as "X.a/g/b.weight"
is a factorized conv (1x1 -> kxk -> 1x1), a linear layer stored as "X.0/1.weight" its two-factor SVD
(so models from `rankfold compress` load too); with sd None the builders give the zoo's plain model
(torch_to_rankfold.py uses that). Input size and class count come from REF.npz.
Files are read with numpy only (np.load(allow_pickle=False), a safetensors parser below): nothing is
unpickled, and torch.load is never used. Exits 1 if max |logit difference| > 1e-4 x max |logit|.
"""
import argparse, json, struct, sys
from collections import OrderedDict

import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(body[start:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = arr.reshape(info["shape"])
    return out


def read_weights(path):
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


class Factorized(nn.Module):
    """Rankfold's FactorizedConv2d: a (1x1, C -> R_in), g (kxk, R_in -> R_out, stride/padding), b (1x1, R_out -> S)."""
    def __init__(s, sd, prefix, stride, pad):
        super().__init__()
        ga, gg, gb = (sd[f"{prefix}.{n}.weight"].shape for n in "agb")
        s.a = nn.Conv2d(ga[1], ga[0], 1, bias=False)
        s.g = nn.Conv2d(gg[1], gg[0], gg[2], stride, pad, bias=False)
        s.b = nn.Conv2d(gb[1], gb[0], 1, bias=f"{prefix}.b.bias" in sd)

    def forward(s, x):
        return s.b(s.g(s.a(x)))


def has(sd, key, plain):
    """Whether the state dict holds key; sd None stands for the zoo's plain model, where the answer is plain."""
    return plain if sd is None else key in sd


def conv(sd, prefix, cin, cout, k, stride, pad):
    if has(sd, f"{prefix}.g.weight", False):
        return Factorized(sd, prefix, stride, pad)
    return nn.Conv2d(cin, cout, k, stride, pad, bias=has(sd, f"{prefix}.bias", False))


def linear(sd, prefix, fin, fout):
    """nn.Linear, or the decomposer's two-factor SVD of one: Sequential(Linear(in -> R), Linear(R -> out))."""
    if has(sd, f"{prefix}.0.weight", False):
        r = sd[f"{prefix}.0.weight"].shape[0]
        return nn.Sequential(nn.Linear(fin, r, bias=f"{prefix}.0.bias" in sd), nn.Linear(r, fout, bias=f"{prefix}.1.bias" in sd))
    return nn.Linear(fin, fout, bias=has(sd, f"{prefix}.bias", True))


def bn(sd, prefix, c):
    return nn.BatchNorm2d(c) if has(sd, f"{prefix}.weight", True) else nn.Identity()


def fashionnet(sd, cin, size, classes):
    layers, i = OrderedDict(), cin
    for n, w in enumerate((32, 32, 64, 64), start=1):
        layers[f"conv{n}"] = conv(sd, f"conv{n}", i, w, 3, 1, 1)
        layers[f"bn{n}"] = bn(sd, f"bn{n}", w)
        layers[f"relu{n}"] = nn.ReLU()
        if n % 2 == 0:
            layers[f"pool{n // 2}"] = nn.MaxPool2d(2)
        i = w
    layers["flatten"] = nn.Flatten()
    layers["fc1"] = linear(sd, "fc1", 64 * (size // 4) ** 2, 128)
    layers["relu5"] = nn.ReLU()
    layers["fc2"] = linear(sd, "fc2", 128, classes)
    return nn.Sequential(layers)


class BasicBlock(nn.Module):
    def __init__(s, sd, p, i, o, stride):
        super().__init__()
        s.conv1, s.bn1 = conv(sd, f"{p}.conv1", i, o, 3, stride, 1), bn(sd, f"{p}.bn1", o)
        s.conv2, s.bn2 = conv(sd, f"{p}.conv2", o, o, 3, 1, 1), bn(sd, f"{p}.bn2", o)
        s.shortcut = None
        if stride != 1 or i != o:
            s.shortcut = nn.Sequential(conv(sd, f"{p}.shortcut.0", i, o, 1, stride, 0), bn(sd, f"{p}.shortcut.1", o))

    def forward(s, x):
        h = s.bn2(s.conv2(F.relu(s.bn1(s.conv1(x)))))
        return F.relu(h + (x if s.shortcut is None else s.shortcut(x)))


def resnet(sd, cin, size, classes, n=3):
    layers = OrderedDict(conv1=conv(sd, "conv1", cin, 16, 3, 1, 1), bn1=bn(sd, "bn1", 16), relu=nn.ReLU())
    i = 16
    for stage, o in enumerate((16, 32, 64)):
        blocks = []
        for b in range(n):
            stride = 2 if stage > 0 and b == 0 else 1
            blocks.append(BasicBlock(sd, f"layer{stage + 1}.{b}", i, o, stride))
            i = o
        layers[f"layer{stage + 1}"] = nn.Sequential(*blocks)
    layers["avgpool"] = nn.AdaptiveAvgPool2d(1)
    layers["flatten"] = nn.Flatten()
    layers["fc"] = linear(sd, "fc", 64, classes)
    return nn.Sequential(layers)


NETS = {"fashionnet": fashionnet, "resnet20": resnet}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--net", choices=sorted(NETS), required=True)
    p.add_argument("weights", help="npz or safetensors written by rankfold export")
    p.add_argument("reference", help="REF.npz written by rankfold export --reference (input, logits)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(1)
    sd = read_weights(a.weights)
    with np.load(a.reference, allow_pickle=False) as z:
        x, expected = z["input"], z["logits"]
    model = NETS[a.net](sd, x.shape[1], x.shape[2], expected.shape[1])
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in sd.items()}, strict=True)
    model.eval()
    with torch.no_grad():
        got = model(torch.from_numpy(np.array(x))).numpy()
    diff = float(np.max(np.abs(got - expected)))
    scale = float(np.max(np.abs(expected)))
    ok = diff <= 1e-4 * scale
    result = {"net": a.net, "weights": a.weights, "tensors": len(sd), "batch": int(x.shape[0]),
              "max_abs_diff": diff, "max_abs_logit": scale, "ok": ok, "torch": torch.__version__}
    if a.json:
        print(json.dumps(result))
    else:
        print(f"{a.weights}: {a.net}, {len(sd)} tensors loaded strictly; max |logit diff| {diff:.3g} "
              f"(max |logit| {scale:.3g}): {'ok' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
