/**
 * The FFM downcall handles for OpenCL 1.2 ({@link org.rankfold.kernels.opencl.bindings.OpenCl}), the status
 * codes by name and the one {@link org.rankfold.kernels.opencl.bindings.ClStatus#check} every status goes
 * through. Nothing else in the project touches {@code java.lang.foreign} for OpenCL.
 */
package org.rankfold.kernels.opencl.bindings;
