package org.rankfold.kernels.cpu.gemm;

/**
 * One thread's packing buffers, allocated once per thread and configuration and reused by every call
 * (a steady-state GEMM allocates nothing).
 */
final class GemmWorkspace {
    final GemmConfig config;
    /** Packed A block: ceil(MC/MR)*MR x KC. */
    final float[] packA;
    /** Packed B block: KC x NC, as NC/NR micro-panels of KC*NR floats. */
    final float[] packB;
    /** Edge tile: MR x NR, row-major. */
    final float[] tile;
    /** The output stage at the micro-kernel's width. */
    final EpilogueStage epilogue;
    /** Where {@link NarrowN} reads its panels. */
    final NarrowN.Panels narrowPanels = new NarrowN.Panels();

    GemmWorkspace(GemmConfig config) {
        this.config = config;
        this.packA = new float[config.mc() * config.kc()];
        this.packB = new float[config.kc() * config.nc()];
        this.tile = new float[config.mr() * config.nr()];
        this.epilogue = new EpilogueStage(config.kernel().vectorBits());
    }
}
