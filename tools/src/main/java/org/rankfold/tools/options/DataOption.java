package org.rankfold.tools.options;

import picocli.CommandLine.Option;

/** {@code --data DATA}: the data set, by name or folder (resolved by the datasets module's DataResolver). */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DATA", defaultValue = "default",
            description = {"default (full Fashion-MNIST if installed, else the bundled sample), sample, fashion-mnist, mnist,"
                    + " cifar10, KIND:DIR with KIND one of fashion-mnist, mnist, cifar10 (a folder of IDX files or CIFAR-10"
                    + " batches), images:DIR (class sub-folders of PNG/JPEG images, as torchvision's ImageFolder; train/ and"
                    + " test/ sub-folders, or a 9:1 split by a fixed seed; 32x32 RGB, images-SxC:DIR for S x S pixels of C = 1 or 3"
                    + " channels), npz:FILE (arrays x [N,(C,)H,W] uint8 or 0-1 floats and y [N]; split 9:1 by a fixed seed,"
                    + " or x_train, y_train, x_test, y_test), or DIR (the kind is read from the files)."
                    + " eval and decompose default to the data the checkpoint was trained on."})
    String data;

    /** The value as given; "default" when none was given. */
    public String data() {
        return data;
    }

    /** The value given, or null when none was (the command's own default applies: e.g. the checkpoint's data). */
    public String givenOrNull() {
        return given() ? data : null;
    }

    /** True when the user gave --data (not the default). */
    public boolean given() {
        return !"default".equals(data);
    }
}
