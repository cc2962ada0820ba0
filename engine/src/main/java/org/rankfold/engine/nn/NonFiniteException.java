package org.rankfold.engine.nn;

/** A NaN or infinity found by {@link NonFiniteGuard}, naming the layer (or parameter) and the element. */
public final class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final String layer;
    private final String quantity;
    private final int index;

    public NonFiniteException(String layer, String quantity, int index, float value) {
        super("non-finite " + quantity + " of layer '" + layer + "': element " + index + " is " + value);
        this.layer = layer;
        this.quantity = quantity;
        this.index = index;
    }

    /** Qualified name of the layer or parameter ("<model>" for the root module). */
    public String layer() {
        return layer;
    }

    /** "output", "gradient of output" or "parameter gradient". */
    public String quantity() {
        return quantity;
    }

    public int index() {
        return index;
    }
}
