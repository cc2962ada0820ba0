// Deliberately invalid OpenCL C: OpenClErrorsTest checks that the build log reaches the exception.
__kernel void broken(__global float* x)
{
    x[0] = undeclared_identifier_in_broken_for_test;
}
