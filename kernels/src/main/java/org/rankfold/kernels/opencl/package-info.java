/**
 * The OpenCL backend, bound to the system's {@code libOpenCL.so.1} with {@code java.lang.foreign}
 * (downcall handles in {@link org.rankfold.kernels.opencl.bindings}; no JNI, no JOCL).
 *
 * <p>Four small parts (docs/architecture.md, OpenCL): {@link org.rankfold.kernels.opencl.OpenClContext}
 * (device, context, in-order queue), {@link org.rankfold.kernels.opencl.BufferAllocator} (device buffers,
 * counted), {@link org.rankfold.kernels.opencl.ProgramCache} (programs from the {@code .cl} resources
 * beside these classes, built once per option string) and {@link org.rankfold.kernels.opencl.KernelLauncher}
 * (arguments and NDRange enqueue). {@link org.rankfold.kernels.opencl.OpenClRuntime} wires them to the
 * op families ({@code ClGemm}, {@code ClIm2col}, {@code ClElementwise}, {@code ClChannels},
 * {@code ClPooling}, {@code ClSoftmaxCrossEntropy}, {@code ClSgd}, and {@code ClTraining} for device-resident
 * training) that work on
 * {@link org.rankfold.kernels.opencl.DeviceBuffer}s; {@link org.rankfold.kernels.opencl.OpenClBackend} adapts
 * them to the host-array {@link org.rankfold.kernels.Backend}.
 *
 * <p>Devices are numbered across all platforms ({@code rankfold devices}); {@code -Drankfold.opencl.device=N}
 * picks one, the default is the first GPU, else device 0. {@code -Drankfold.opencl.library} names another
 * loader library. Without OpenCL the provider reports itself unavailable with the reason.
 */
package org.rankfold.kernels.opencl;
