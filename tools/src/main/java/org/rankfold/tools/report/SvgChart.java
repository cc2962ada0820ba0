package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart or scatter plot as an inline SVG element: a title, two axes (each linear or base-10
 * logarithmic) with ticks and grid lines, the {@link Series}, dashed {@link Guide} lines and a legend
 * below the plot. Both axes are fitted to every drawable point and guide, so nothing is clipped.
 * <p>
 * Element classes that the report tests (and a reader's own CSS) rely on: {@code series-line} (the path
 * of a line series), {@code marker} (one circle per drawn point), {@code guide} (a reference line),
 * {@code point-label}, {@code legend}. All text is escaped with {@link Html#escape(String)}.
 */
public final class SvgChart {
    private static final double CHAR_WIDTH = 6.2;
    private static final double LEGEND_ROW = 16;
    /** The least left margin; wider y tick labels widen it (see {@link #toSvg()}). */
    private static final double MIN_LEFT = 64;
    /** Bold title characters are wider than the 11px text of the rest. */
    private static final double TITLE_CHAR_WIDTH = 7.8;
    private static final double RIGHT = 18;
    private static final double TOP = 30;
    private static final double BOTTOM = 42;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Guide> guides = new ArrayList<>();
    private boolean logX;
    private boolean logY;
    private boolean integerX;
    private double width = 440;
    private double plotHeight = 200;
    /** The left margin of the chart being written: room for the widest y tick label and the y axis label. */
    private double left = MIN_LEFT;

    /** A chart with the given title and axis labels (all escaped when written). */
    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart logX() {
        logX = true;
        return this;
    }

    /** The x values are counts (epochs): ticks only at whole numbers. */
    public SvgChart integerX() {
        integerX = true;
        return this;
    }

    public SvgChart logY() {
        logY = true;
        return this;
    }

    /** Width of the whole SVG and height of the plot area, in CSS pixels. */
    public SvgChart size(double svgWidth, double plotAreaHeight) {
        if (!(svgWidth > MIN_LEFT + RIGHT + 50) || !(plotAreaHeight > 50)) {
            throw new IllegalArgumentException("chart too small: " + svgWidth + " x " + plotAreaHeight);
        }
        width = svgWidth;
        plotHeight = plotAreaHeight;
        return this;
    }

    public SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    public SvgChart add(Guide g) {
        guides.add(g);
        return this;
    }

    /** Number of points that will be drawn (those with a position on both axes). */
    public int drawablePoints() {
        Scale sx = xScale();
        Scale sy = yScale();
        int n = 0;
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                if (sx.contains(x[i]) && sy.contains(y[i])) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The {@code <svg>} element. */
    public String toSvg() {
        Scale ticksY = yScale();
        double widestTick = 0;
        for (double t : ticksY.ticks()) {
            widestTick = Math.max(widestTick, CHAR_WIDTH * ticksY.label(t).length());
        }
        // y axis label (centred at x = 14) plus a gap, then the right-aligned tick labels ending 5px before the plot;
        // the plot keeps at least half the width
        left = Math.min(Math.max(MIN_LEFT, 22 + widestTick + 5), width / 2);
        List<List<LegendEntry>> legend = legendRows();
        double height = TOP + plotHeight + BOTTOM + legend.size() * LEGEND_ROW + 4;
        Scale sx = xScale();
        Scale sy = yScale();
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"").append(Html.px(width))
                .append("\" height=\"").append(Html.px(height)).append("\" viewBox=\"0 0 ").append(Html.px(width)).append(' ')
                .append(Html.px(height)).append("\">");
        b.append("<title>").append(Html.escape(title)).append("</title>");
        b.append("<text class=\"chart-title\" x=\"").append(Html.px(width / 2)).append("\" y=\"18\" text-anchor=\"middle\">")
                .append(fit(title, width - 8, TITLE_CHAR_WIDTH)).append("</text>");
        axes(b, sx, sy);
        for (Guide g : guides) {
            guide(b, g, sx, sy);
        }
        for (Series s : series) {
            draw(b, s, sx, sy);
        }
        legend(b, legend, TOP + plotHeight + BOTTOM);
        b.append("</svg>");
        return b.toString();
    }

    private double plotRight() {
        return width - RIGHT;
    }

    private Scale xScale() {
        return Scale.fit(values(false), logX, integerX && !logX, left, plotRight());
    }

    private Scale yScale() {
        return Scale.fit(values(true), logY, TOP + plotHeight, TOP);
    }

    private double[] values(boolean y) {
        List<Double> v = new ArrayList<>();
        for (Series s : series) {
            for (double d : y ? s.y() : s.x()) {
                v.add(d);
            }
        }
        for (Guide g : guides) {
            if (g.horizontal() == y) {
                v.add(g.value());
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void axes(StringBuilder b, Scale sx, Scale sy) {
        double bottom = TOP + plotHeight;
        b.append("<rect class=\"plot-area\" x=\"").append(Html.px(left)).append("\" y=\"").append(Html.px(TOP))
                .append("\" width=\"").append(Html.px(plotRight() - left)).append("\" height=\"").append(Html.px(plotHeight))
                .append("\" fill=\"#ffffff\" stroke=\"#888888\"/>");
        for (double t : sx.ticks()) {
            double px = sx.toPixel(t);
            b.append("<line class=\"grid\" x1=\"").append(Html.px(px)).append("\" y1=\"").append(Html.px(TOP)).append("\" x2=\"")
                    .append(Html.px(px)).append("\" y2=\"").append(Html.px(bottom)).append("\" stroke=\"#e4e4e4\"/>");
            b.append("<text class=\"tick\" x=\"").append(Html.px(px)).append("\" y=\"").append(Html.px(bottom + 14))
                    .append("\" text-anchor=\"middle\">").append(Html.escape(sx.label(t))).append("</text>");
        }
        for (double t : sy.ticks()) {
            double py = sy.toPixel(t);
            b.append("<line class=\"grid\" x1=\"").append(Html.px(left)).append("\" y1=\"").append(Html.px(py)).append("\" x2=\"")
                    .append(Html.px(plotRight())).append("\" y2=\"").append(Html.px(py)).append("\" stroke=\"#e4e4e4\"/>");
            b.append("<text class=\"tick\" x=\"").append(Html.px(left - 5)).append("\" y=\"").append(Html.px(py + 4))
                    .append("\" text-anchor=\"end\">").append(Html.escape(sy.label(t))).append("</text>");
        }
        b.append("<text class=\"axis-label\" x=\"").append(Html.px((left + plotRight()) / 2)).append("\" y=\"")
                .append(Html.px(bottom + 32)).append("\" text-anchor=\"middle\">")
                .append(fit(xLabel + (logX ? " (log scale)" : ""), plotRight() - left, CHAR_WIDTH)).append("</text>");
        double cy = TOP + plotHeight / 2;
        b.append("<text class=\"axis-label\" x=\"14\" y=\"").append(Html.px(cy)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(Html.px(cy)).append(")\">").append(fit(yLabel + (logY ? " (log scale)" : ""), plotHeight + TOP, CHAR_WIDTH))
                .append("</text>");
    }

    private void guide(StringBuilder b, Guide g, Scale sx, Scale sy) {
        Scale s = g.horizontal() ? sy : sx;
        if (!s.contains(g.value())) {
            return;
        }
        double p = s.toPixel(g.value());
        double x1 = g.horizontal() ? left : p;
        double x2 = g.horizontal() ? plotRight() : p;
        double y1 = g.horizontal() ? p : TOP;
        double y2 = g.horizontal() ? p : TOP + plotHeight;
        b.append("<line class=\"guide\" x1=\"").append(Html.px(x1)).append("\" y1=\"").append(Html.px(y1)).append("\" x2=\"")
                .append(Html.px(x2)).append("\" y2=\"").append(Html.px(y2)).append("\" stroke=\"").append(g.color())
                .append("\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>");
        double tx = g.horizontal() ? plotRight() - 4 : p + 4;
        double ty = g.horizontal() ? p - 4 : TOP + 12;
        b.append("<text class=\"guide-label\" x=\"").append(Html.px(tx)).append("\" y=\"").append(Html.px(ty))
                .append("\" text-anchor=\"").append(g.horizontal() ? "end" : "start").append("\" fill=\"").append(g.color())
                .append("\">").append(fit(g.label(), g.horizontal() ? tx - left : width - tx - 2, CHAR_WIDTH)).append("</text>");
    }

    private void draw(StringBuilder b, Series s, Scale sx, Scale sy) {
        double[] x = s.x();
        double[] y = s.y();
        Series.Style st = s.style();
        if (st == Series.Style.LINE || st == Series.Style.LINE_MARKERS || st == Series.Style.DASHED) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < x.length; i++) {
                if (sx.contains(x[i]) && sy.contains(y[i])) {
                    d.append(pen ? " L" : (d.isEmpty() ? "M" : " M")).append(Html.px(sx.toPixel(x[i]))).append(' ')
                            .append(Html.px(sy.toPixel(y[i])));
                    pen = true;
                } else {
                    pen = false;
                }
            }
            if (!d.isEmpty()) {
                b.append("<path class=\"series-line\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(s.color())
                        .append("\" stroke-width=\"2\"").append(st == Series.Style.DASHED ? " stroke-dasharray=\"5 3\"" : "")
                        .append("/>");
            }
        }
        if (st == Series.Style.LINE_MARKERS || st == Series.Style.MARKERS || st == Series.Style.HOLLOW_MARKERS) {
            boolean hollow = st == Series.Style.HOLLOW_MARKERS;
            for (int i = 0; i < x.length; i++) {
                if (!(sx.contains(x[i]) && sy.contains(y[i]))) {
                    continue;
                }
                double px = sx.toPixel(x[i]);
                double py = sy.toPixel(y[i]);
                b.append("<circle class=\"marker\" cx=\"").append(Html.px(px)).append("\" cy=\"").append(Html.px(py))
                        .append("\" r=\"3.5\" fill=\"").append(hollow ? "#ffffff" : s.color()).append("\" stroke=\"")
                        .append(s.color()).append("\" stroke-width=\"1.5\"/>");
                if (!s.labels().isEmpty()) {
                    String label = s.labels().get(i);
                    double room = width - (px + 6) - 2;
                    // a label that does not fit right of its point goes to its left, if it fits there
                    boolean before = CHAR_WIDTH * label.length() > room && px - 6 > room;
                    b.append("<text class=\"point-label\" x=\"").append(Html.px(before ? px - 6 : px + 6)).append("\" y=\"")
                            .append(Html.px(py - 6)).append(before ? "\" text-anchor=\"end" : "").append("\">")
                            .append(fit(label, before ? px - 6 : room, CHAR_WIDTH)).append("</text>");
                }
            }
        }
    }

    /** One legend entry; {@code style} is a {@link Series.Style} name or {@code GUIDE}. */
    private record LegendEntry(String name, String color, String style) {
        double width() {
            return 30 + CHAR_WIDTH * name.length();
        }
    }

    /** Legend entries of the series, then the guides, packed into rows that fit the plot's width. */
    private List<List<LegendEntry>> legendRows() {
        List<LegendEntry> all = new ArrayList<>();
        series.forEach(s -> all.add(new LegendEntry(s.name(), s.color(), s.style().name())));
        guides.forEach(g -> all.add(new LegendEntry(g.label(), g.color(), "GUIDE")));
        List<List<LegendEntry>> rows = new ArrayList<>();
        double used = Double.POSITIVE_INFINITY;
        for (LegendEntry e : all) {
            if (used + e.width() > width - left - RIGHT) {
                rows.add(new ArrayList<>());
                used = 0;
            }
            rows.get(rows.size() - 1).add(e);
            used += e.width();
        }
        return rows;
    }

    private void legend(StringBuilder b, List<List<LegendEntry>> rows, double top) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("<g class=\"legend\">");
        double y = top + 8;
        for (List<LegendEntry> row : rows) {
            double x = left;
            for (LegendEntry e : row) {
                if (e.style().equals("MARKERS") || e.style().equals("HOLLOW_MARKERS")) {
                    b.append("<circle cx=\"").append(Html.px(x + 9)).append("\" cy=\"").append(Html.px(y))
                            .append("\" r=\"3.5\" fill=\"").append(e.style().equals("MARKERS") ? e.color() : "#ffffff")
                            .append("\" stroke=\"").append(e.color()).append("\" stroke-width=\"1.5\"/>");
                } else {
                    b.append("<line x1=\"").append(Html.px(x)).append("\" y1=\"").append(Html.px(y)).append("\" x2=\"")
                            .append(Html.px(x + 18)).append("\" y2=\"").append(Html.px(y)).append("\" stroke=\"").append(e.color())
                            .append("\" stroke-width=\"2\"")
                            .append(e.style().equals("GUIDE") || e.style().equals("DASHED") ? " stroke-dasharray=\"5 3\"" : "")
                            .append("/>");
                }
                b.append("<text x=\"").append(Html.px(x + 24)).append("\" y=\"").append(Html.px(y + 4)).append("\">")
                        .append(fit(e.name(), width - x - 24 - 2, CHAR_WIDTH)).append("</text>");
                x += e.width();
            }
            y += LEGEND_ROW;
        }
        b.append("</g>");
    }

    /**
     * {@code text} escaped, shortened with an ellipsis when it is wider than {@code room} pixels (at
     * {@code charWidth} per character), the full text then kept in a {@code <title>} (a tooltip) so nothing is lost.
     */
    static String fit(String text, double room, double charWidth) {
        int max = (int) Math.floor(room / charWidth);
        if (text.length() <= max) {
            return Html.escape(text);
        }
        String shown = max <= 1 ? "\u2026" : text.substring(0, max - 1) + "\u2026";
        return "<title>" + Html.escape(text) + "</title>" + Html.escape(shown);
    }
}
