package org.rankfold.engine.tensor;

/**
 * The record an op leaves on its output: the op's name, its inputs and the function that pushes the
 * output's gradient back to them. Held by the output tensor until backward has used it.
 */
record Node(String op, Tensor[] inputs, Backward backward) {
}
