package org.rankfold.tools.report;

/**
 * A dashed reference line across a chart with a label: horizontal at {@code y = value} (the EVBMF threshold)
 * or vertical at {@code x = value} (the boundary after the last kept component, a target ratio).
 *
 * @param horizontal horizontal line at a y value, else vertical at an x value
 * @param value      where the line is, in data units
 * @param label      text drawn next to the line (escaped when written)
 * @param color      CSS colour {@code #rrggbb}
 */
public record Guide(boolean horizontal, double value, String label, String color) {

    public Guide {
        if (!color.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("guide colour must be #rrggbb, got '" + color + "'");
        }
    }

    public static Guide horizontal(double y, String label, String color) {
        return new Guide(true, y, label, color);
    }

    public static Guide vertical(double x, String label, String color) {
        return new Guide(false, x, label, color);
    }
}
