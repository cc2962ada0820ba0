package org.rankfold.tools.report;

import java.util.List;

/**
 * The report page being written: a polyglot HTML5 document (also well-formed XML) with inline CSS, a
 * Content-Security-Policy that allows no script and no network fetch, and helpers that escape every text
 * argument. Methods taking {@code markup} insert it as it is (it comes from this package's writers).
 */
public final class HtmlPage {
    /** Colours of successive series (colour-blind-safe Tableau 10 order). */
    public static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    private static final String CSS = String.join("\n",
            "body { font-family: system-ui, 'DejaVu Sans', sans-serif; margin: 24px auto; max-width: 1240px; color: #222; }",
            "h1 { font-size: 1.6em; margin-bottom: 4px; } h2 { border-bottom: 1px solid #ccc; margin-top: 36px; }",
            "h3 { margin-top: 24px; } table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }",
            "th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }",
            "td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } th { background: #f2f2f2; }",
            ".charts { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 4px; }",
            "figcaption { font-size: 0.8em; color: #555; max-width: 440px; } .missing { color: #a33; font-style: italic; }",
            "svg.chart { font-size: 11px; font-family: system-ui, 'DejaVu Sans', sans-serif; }",
            "svg .chart-title { font-size: 13px; font-weight: bold; } .layer { border: 1px solid #ddd; padding: 8px; margin: 10px 0; }",
            ".note { font-size: 0.85em; color: #555; } .headline td { font-size: 1.05em; }");

    private final StringBuilder b = new StringBuilder(1 << 16);

    public HtmlPage(String title) {
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
    }

    public HtmlPage heading(int level, String id, String text) {
        b.append("<h").append(level).append(id == null ? "" : " id=\"" + Html.escape(id) + "\"").append('>')
                .append(Html.escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        b.append("<p>").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    public HtmlPage note(String text) {
        b.append("<p class=\"note\">").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph saying that something was not recorded, and why it matters. */
    HtmlPage missing(String text) {
        b.append("<p class=\"missing\">").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /**
     * A table; cells are escaped. A cell that starts with {@link #NUMERIC} is right-aligned (the marker is
     * dropped).
     */
    public HtmlPage table(String cssClass, List<String> header, List<List<String>> rows) {
        b.append("<table").append(cssClass == null ? "" : " class=\"" + Html.escape(cssClass) + "\"").append(">\n<tr>");
        for (String h : header) {
            b.append("<th>").append(Html.escape(h)).append("</th>");
        }
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (String c : row) {
                if (c != null && c.startsWith(NUMERIC)) {
                    b.append("<td class=\"num\">").append(Html.escape(c.substring(NUMERIC.length()))).append("</td>");
                } else {
                    b.append("<td>").append(Html.escape(c)).append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        return this;
    }

    /** Prefix of a table cell that is a number (right-aligned). */
    static final String NUMERIC = "\u0000num:";

    /** A numeric cell. */
    static String num(String text) {
        return NUMERIC + text;
    }

    HtmlPage open(String cssClass) {
        b.append("<div class=\"").append(Html.escape(cssClass)).append("\">\n");
        return this;
    }

    HtmlPage close() {
        b.append("</div>\n");
        return this;
    }

    /**
     * A chart in a figure: {@code data-kind} names what it shows (the tests count them), {@code data-key}
     * identifies it (layer and unfolding, phase), the caption is escaped.
     */
    public HtmlPage figure(String kind, String key, SvgChart chart, String caption) {
        b.append("<figure class=\"plot\" data-kind=\"").append(Html.escape(kind)).append("\" data-key=\"")
                .append(Html.escape(key)).append("\">").append(chart.toSvg());
        if (caption != null && !caption.isEmpty()) {
            b.append("<figcaption>").append(Html.escape(caption)).append("</figcaption>");
        }
        b.append("</figure>\n");
        return this;
    }

    public String finish() {
        b.append("</body>\n</html>\n");
        return b.toString();
    }
}
