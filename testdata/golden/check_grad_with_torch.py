#!/usr/bin/env python3
"""Recomputes every grad/*.npz golden case with PyTorch and compares it with the stored values.

Each case is recomputed twice from the inputs stored in the file: in float64 from the plain keys, compared
with the stored float64 outputs (rtol 1e-9, atol 1e-11 x max(1, max|ref|)), and in float32 from the `_f32`
keys, compared with the stored `_f32` outputs (rtol 1e-4, atol 1e-5 x max(1, max|ref|): the bound the
Java tests apply to the float32 engine, GOLDEN_F32_* in kernels/src/test/.../testing/Tolerances.java;
the float64 bound is that file's GOLDEN_F64_*).
It also checks that every `_f32` input is its float64 key rounded to float32, that integer keys (max-pool
argmax) match exactly, and that every array of the file is an input or a checked output of its recipe.
One line per case; exit status 1 when any case differs, 2 on bad usage.

Debian's python with its packages: apt-get install python3-torch python3-numpy, then
  /usr/bin/python3 testdata/golden/check_grad_with_torch.py [GOLDEN_DIR]
"""
import glob
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

F64 = (1e-9, 1e-11)
F32 = (1e-4, 1e-5)


class Case:
    """One file: inputs as tensors of the chosen precision, outputs gathered for comparison."""

    def __init__(self, path, dtype):
        self.z = np.load(path)
        self.dtype = dtype
        self.suffix = "_f32" if dtype == torch.float32 else ""
        self.out = {}
        self.inputs = set()

    def t(self, key, grad=False):
        k = key + self.suffix if key + self.suffix in self.z else key
        self.inputs.add(key)
        x = torch.tensor(np.asarray(self.z[k]), dtype=self.dtype)
        return x.requires_grad_(grad)

    def i(self, key):
        self.inputs.add(key)
        return int(self.z[key].reshape(-1)[0])

    def f(self, key):
        self.inputs.add(key)
        return float(self.z[key].reshape(-1)[0])

    def labels(self, key):
        self.inputs.add(key)
        return torch.tensor(np.asarray(self.z[key]), dtype=torch.long)

    def put(self, key, value):
        self.out[key] = value.detach() if isinstance(value, torch.Tensor) else value


def conv(c):
    x, w = c.t("x", True), c.t("w", True)
    if c.i("kernel_size") != w.shape[-1] or w.shape[-1] != w.shape[-2]:
        raise ValueError("kernel_size %d, weight shape %s" % (c.i("kernel_size"), tuple(w.shape)))
    b = c.t("b", True) if c.i("has_bias") == 1 else None
    y = F.conv2d(x, w, b, stride=c.i("stride"), padding=c.i("padding"))
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad); c.put("grad_w", w.grad)
    if b is not None:
        c.put("grad_b", b.grad)


def bn_train(c):
    x, gamma, beta = c.t("x", True), c.t("gamma", True), c.t("beta", True)
    rm, rv = c.t("running_mean_in"), c.t("running_var_in")
    y = F.batch_norm(x, rm, rv, gamma, beta, training=True, momentum=c.f("momentum"), eps=c.f("eps"))
    y.backward(c.t("gy"))
    dims = (0, 2, 3)
    c.put("y", y); c.put("grad_x", x.grad); c.put("grad_gamma", gamma.grad); c.put("grad_beta", beta.grad)
    c.put("batch_mean", x.detach().mean(dims)); c.put("batch_var_biased", x.detach().var(dims, unbiased=False))
    c.put("running_mean_out", rm); c.put("running_var_out", rv)
    c.put("y_eval", F.batch_norm(x.detach(), rm, rv, gamma.detach(), beta.detach(), training=False,
                                 eps=c.f("eps")))


def maxpool(c):
    x = c.t("x", True)
    y, idx = F.max_pool2d(x, c.i("kernel_size"), c.i("stride"), c.i("padding"),
                          ceil_mode=c.i("ceil_mode") == 1, return_indices=True)
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad); c.put("argmax_flat", idx)


def avgpool(c):
    x = c.t("x", True)
    y = F.avg_pool2d(x, c.i("kernel_size"), c.i("stride"), c.i("padding"), ceil_mode=c.i("ceil_mode") == 1,
                     count_include_pad=c.i("count_include_pad") == 1)
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad)


def global_avgpool(c):
    x = c.t("x", True)
    y = F.adaptive_avg_pool2d(x, 1)
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad)


def linear(c):
    x, w, b = c.t("x", True), c.t("w", True), c.t("b", True)
    y = F.linear(x, w, b)
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad); c.put("grad_w", w.grad); c.put("grad_b", b.grad)


def relu(c):
    x = c.t("x", True)
    y = F.relu(x)
    y.backward(c.t("gy"))
    c.put("y", y); c.put("grad_x", x.grad)


def cross_entropy(c):
    logits = c.t("logits", True)
    logp = F.log_softmax(logits, dim=1)
    loss = F.nll_loss(logp, c.labels("labels"))
    loss.backward()
    c.put("log_softmax", logp); c.put("loss", loss); c.put("grad_logits", logits.grad)


def tiny_net(c, gap):
    x, conv_w = c.t("x", True), c.t("conv_w", True)
    gamma, beta = c.t("bn_gamma", True), c.t("bn_beta", True)
    fc_w, fc_b = c.t("fc_w", True), c.t("fc_b", True)
    rm, rv = c.t("bn_running_mean_in"), c.t("bn_running_var_in")
    h = F.conv2d(x, conv_w, None, stride=1, padding=1)
    h = F.relu(F.batch_norm(h, rm, rv, gamma, beta, training=True, momentum=0.1, eps=1e-5))
    if gap:
        h = F.adaptive_avg_pool2d(F.max_pool2d(h, 3, 2, 1), 1)
    else:
        h = F.max_pool2d(h, 2, 2)
    logits = F.linear(torch.flatten(h, 1), fc_w, fc_b)
    loss = F.cross_entropy(logits, c.labels("labels"))
    loss.backward()
    c.put("logits", logits); c.put("loss", loss)
    c.put("bn_running_mean_out", rm); c.put("bn_running_var_out", rv)
    for key, p in (("x", x), ("conv_w", conv_w), ("bn_gamma", gamma), ("bn_beta", beta), ("fc_w", fc_w),
                   ("fc_b", fc_b)):
        c.put("grad_" + key, p.grad)


def ortho(c):
    def matrix(w):
        return w.reshape(w.shape[0], -1)

    def gram_minus_identity(m, rows):
        g = m @ m.T if rows else m.T @ m
        return g - torch.eye(g.shape[0], dtype=g.dtype)

    def so(w):
        m = matrix(w)
        return (gram_minus_identity(m, m.shape[0] <= m.shape[1]) ** 2).sum()

    def dso(w):
        m = matrix(w)
        return (gram_minus_identity(m, True) ** 2).sum() + (gram_minus_identity(m, False) ** 2).sum()

    def srip(w):
        return torch.linalg.matrix_norm(gram_minus_identity(matrix(w), False), ord=2)

    for name, fn in (("so", so), ("dso", dso), ("srip", srip)):
        w = c.t("w", True)
        v = fn(w)
        v.backward()
        c.put(name + "_value", v); c.put(name + "_grad_w", w.grad)
    m = matrix(c.t("w"))
    c.put("so_uses_MMt", torch.tensor(int(m.shape[0] <= m.shape[1])))
    top = torch.linalg.svdvals(gram_minus_identity(m, False))[:len(c.z["srip_top_singular_values"])]
    c.put("srip_top_singular_values", top)


def sgd_momentum(c):
    steps = c.i("steps")
    for part in ("A", "B"):
        w, b = c.t("w_step0", True), c.t("b_step0", True)
        opt = torch.optim.SGD([w, b], lr=c.f("lr"), momentum=c.f("momentum"), dampening=c.f("dampening"),
                              weight_decay=c.f("weight_decay"), nesterov=c.i("nesterov") == 1)
        for t in range(1, steps + 1):
            opt.zero_grad()
            if part == "A":
                w.grad, b.grad = c.t("A_w_gext%d" % t), c.t("A_b_gext%d" % t)
            else:
                loss = F.cross_entropy(F.linear(c.t("B_x"), w, b), c.labels("B_labels"))
                loss.backward()
                c.put("B_loss%d" % t, loss)
                c.put("B_w_grad%d" % t, w.grad.clone()); c.put("B_b_grad%d" % t, b.grad.clone())
            opt.step()
            for key, p in (("w", w), ("b", b)):
                c.put("%s_%s_step%d" % (part, key, t), p.clone())
                c.put("%s_%s_buf%d" % (part, key, t), opt.state[p]["momentum_buffer"].clone())


def recompute(name, c):
    if name.startswith("conv_"):
        return conv(c)
    if name.startswith("bn_train"):
        return bn_train(c)
    if name.startswith("maxpool_"):
        return maxpool(c)
    if name.startswith("avgpool_"):
        return avgpool(c)
    if name.startswith("tiny_net_"):
        return tiny_net(c, name.endswith("gap"))
    if name.startswith("ortho_"):
        return ortho(c)
    if name.startswith("cross_entropy"):
        return cross_entropy(c)
    cases = {"global_avgpool": global_avgpool, "linear": linear, "relu": relu, "sgd_momentum": sgd_momentum}
    if name not in cases:
        raise KeyError("no recipe for case " + name)
    return cases[name](c)


def worst(ref, got, rtol, atol):
    """Largest excess of |got - ref| over atol x max(1, max|ref|) + rtol |ref|, and its flat index."""
    ref = np.asarray(ref, np.float64).reshape(-1)
    got = np.asarray(got, np.float64).reshape(-1)
    if ref.shape != got.shape:
        return float("inf"), -1
    allowed = atol * max(1.0, float(np.abs(ref).max(initial=0))) + rtol * np.abs(ref)
    excess = np.abs(got - ref) - allowed
    k = int(np.argmax(excess))
    return float(excess[k]), k


def check(path):
    """Problems of one file (empty when it matches) and the number of values compared."""
    name = os.path.basename(path)[:-4]
    problems, compared = [], 0
    z = np.load(path)
    for dtype, (rtol, atol) in ((torch.float64, F64), (torch.float32, F32)):
        c = Case(path, dtype)
        with torch.enable_grad():
            recompute(name, c)
        if dtype == torch.float32:
            # the float32 run must start from the float64 inputs rounded, or the two runs test different cases
            for key in sorted(c.inputs):
                if key + "_f32" in z.files and not np.array_equal(z[key + "_f32"], z[key].astype(np.float32)):
                    problems.append("%s: %s_f32 is not %s rounded to float32" % (name, key, key))
            # every stored array is an input or an output of the recipe: nothing in the file goes unchecked
            used = c.inputs | set(c.out) | {"seed", "meta_json"}
            unused = sorted(k for k in z.files if (k[:-4] if k.endswith("_f32") else k) not in used)
            if unused:
                problems.append("%s: keys not checked: %s" % (name, ", ".join(unused)))
        for key, value in sorted(c.out.items()):
            stored = key + c.suffix
            if stored not in z.files:
                if key in z.files and not np.issubdtype(z[key].dtype, np.floating):
                    stored = key  # integer keys have no float32 twin
                elif c.suffix and key in z.files:
                    continue  # stored in float64 only (e.g. srip_top_singular_values): checked by the float64 run
                else:
                    problems.append("%s: key %s missing" % (name, stored))
                    continue
            ref = z[stored]
            got = value.numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
            compared += ref.size
            if not np.issubdtype(ref.dtype, np.floating):
                if c.suffix:
                    continue  # integers are the same in both runs: compared once
                if not np.array_equal(ref.reshape(-1), got.reshape(-1).astype(ref.dtype)):
                    problems.append("%s/%s: integer values differ" % (name, stored))
                continue
            excess, k = worst(ref, got, rtol, atol)
            if not excess <= 0:
                problems.append("%s/%s: worst element [%d] got %.9g, stored %.9g (over the bound by %.3g)"
                                % (name, stored, k, got.reshape(-1)[k] if k >= 0 else float("nan"),
                                   ref.reshape(-1)[k] if k >= 0 else float("nan"), excess))
    return problems, compared


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        print("usage: check_grad_with_torch.py [GOLDEN_DIR]", file=sys.stderr)
        return 2
    root = sys.argv[1] if len(sys.argv) == 2 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(root, "grad", "*.npz")))
    if not files:
        print("check_grad_with_torch: no grad/*.npz under " + root, file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    failed = 0
    for path in files:
        name = os.path.basename(path)
        meta = json.loads(bytes(np.load(path)["meta_json"]).decode("ascii"))
        try:
            problems, compared = check(path)
        except Exception as e:  # a recipe that cannot run is a failure of this case, reported as such
            problems, compared = ["%s: %s: %s" % (name, type(e).__name__, e)], 0
        if problems:
            failed += 1
            print("FAIL %-34s %s" % (name, "; ".join(problems)))
        else:
            print("ok   %-34s %6d values (%s)" % (name, compared, meta.get("op", "?")))
    print("%d of %d cases match PyTorch %s" % (len(files) - failed, len(files), torch.__version__))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
