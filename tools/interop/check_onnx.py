#!/usr/bin/env python3
"""Checks ONNX files written by `rankfold export --format onnx` with the ONNX project's own checker. Use
Debian's python (apt-get install python3-onnx, ONNX 1.12, opset <= 17), e.g.
  /usr/bin/python3 tools/interop/check_onnx.py model.onnx [more.onnx ...] [--json]
For each file: onnx.checker.check_model(full_check=True) (IR, operator schemas, and strict shape
inference), then the expected interface: one input "input" [batch, C, H, W] and one output "logits"
[batch, classes], with "batch" symbolic, opset 17 of the default domain. When a REF.npz written by
`rankfold export --reference` lies beside a file (same stem + ".ref.npz") and onnx.reference exists
(ONNX >= 1.13), the graph is also evaluated there and its logits compared with ours.
Prints one line per file (or one JSON object); exits 1 if any file fails.
"""
import argparse, json, os, sys

import onnx
import onnx.checker
import onnx.shape_inference


def dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    g = model.graph
    opsets = {o.domain: o.version for o in model.opset_import}
    problems = []
    if opsets.get("", None) != 17:
        problems.append(f"default-domain opset {opsets.get('')} != 17")
    inputs = [i for i in g.input if i.name not in {t.name for t in g.initializer}]
    if [i.name for i in inputs] != ["input"] or len(dims(inputs[0])) != 4 or dims(inputs[0])[0] != "batch":
        problems.append(f"input is {[(i.name, dims(i)) for i in inputs]}, expected input [batch, C, H, W]")
    if [o.name for o in g.output] != ["logits"] or dims(g.output[0])[0] != "batch":
        problems.append(f"output is {[(o.name, dims(o)) for o in g.output]}, expected logits [batch, classes]")
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    out_dims = dims(inferred.graph.output[0])
    result = {"file": path, "ir_version": model.ir_version, "opset": opsets.get(""), "nodes": len(g.node),
              "initializers": len(g.initializer), "input": dims(inputs[0]) if inputs else None, "output": out_dims,
              "ops": sorted({n.op_type for n in g.node})}
    ref = os.path.splitext(path)[0] + ".ref.npz"
    if os.path.exists(ref):
        try:
            from onnx.reference import ReferenceEvaluator
        except ImportError:
            result["reference"] = "skipped (onnx.reference needs ONNX >= 1.13)"
        else:
            import numpy as np
            with np.load(ref, allow_pickle=False) as z:
                x, expected = z["input"], z["logits"]
            got = ReferenceEvaluator(model).run(None, {"input": x})[0]
            diff = float(np.max(np.abs(got - expected)))
            result["reference_max_abs_diff"] = diff
            if not diff <= 1e-4 * float(np.max(np.abs(expected))):
                problems.append(f"reference evaluator logits differ from ours by {diff:.3g}")
    result["problems"] = problems
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    results, failed = [], False
    for f in a.files:
        try:
            r = check(f)
        except Exception as e:  # the checker's exceptions have no common base; report every one per file
            r = {"file": f, "problems": [f"{type(e).__name__}: {e}"]}
        failed |= bool(r["problems"])
        results.append(r)
        if not a.json:
            status = "ok" if not r["problems"] else "FAIL: " + "; ".join(r["problems"])
            detail = "" if r["problems"] else f" (IR {r['ir_version']}, opset {r['opset']}, {r['nodes']} nodes, output {r['output']})"
            print(f"{f}: {status}{detail}")
    if a.json:
        print(json.dumps({"onnx_version": onnx.__version__, "files": results}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
