package org.rankfold.engine.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Replays the recorded graph in reverse: a depth-first post-order from the root gives a topological
 * order (every tensor after all tensors it was computed from); walking it backwards, each tensor's
 * gradient is complete when it is reached, so its hooks run and its node pushes the gradient to the
 * inputs. Intermediate gradients and nodes are then released.
 */
final class Autograd {
    private Autograd() {
    }

    static void run(Tensor root, float[] dout) {
        List<Tensor> order = topologicalOrder(root);
        float[] g = root.gradForAccumulation();
        for (int i = 0; i < g.length; i++) {
            g[i] += dout[i];
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            t.runGradHooks();
            Node node = t.node();
            if (node == null) {
                continue; // a leaf: its gradient stays
            }
            float[] grad = t.grad();
            if (grad != null) {
                node.backward().accumulate(grad);
            }
            t.releaseNode();
            if (!t.retainsGrad()) {
                t.recycleGrad();
            }
        }
    }

    /** Tensors reachable from root through recorded nodes (only those that require grad), inputs first. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        // Iterative DFS (deep nets would overflow the call stack): a frame is a tensor and the index of
        // the next input to visit.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        visited.add(root);
        stack.push(new Object[] {root, 0});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.node();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
