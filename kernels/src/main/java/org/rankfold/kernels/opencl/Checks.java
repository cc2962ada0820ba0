package org.rankfold.kernels.opencl;

/** Argument checks shared by the device ops: ranges inside buffers, with messages naming the operand. */
final class Checks {
    private Checks() {
    }

    /** Elements {@code [offset, offset+length)} must lie inside the buffer. */
    static void range(String what, DeviceBuffer buf, long offset, long length) {
        if (buf == null) {
            throw new IllegalArgumentException(what + ": buffer is null");
        }
        if (offset < 0 || length < 0 || offset > buf.elements() - length) {
            throw new IllegalArgumentException(what + ": elements [" + offset + ", " + (offset + length)
                    + ") outside the device buffer of " + buf.elements() + " elements");
        }
    }

    /** Sizes must be non-negative. */
    static void sizes(String what, long... sizes) {
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException(what + ": negative size " + s);
            }
        }
    }
}
