/**
 * The audit report of a compression run: {@code RUN/report.html}, one self-contained page built
 * from the run directory (docs/file-formats.md) with inline CSS and inline SVG charts, no scripts and no
 * network access (a Content-Security-Policy in the page forbids both).
 *
 * <h2>Why a small SVG writer of our own instead of XChart</h2>
 * XChart 4.0.3 (PNG) or a small SVG writer of our own were the options. We write our own ({@link
 * org.rankfold.tools.report.SvgChart}, about 500 lines with {@link org.rankfold.tools.report.Scale}):
 * <ul>
 * <li><b>self-contained inline SVG</b>: the charts are markup inside the page, so the report is one file
 * that opens anywhere and diffs as text; XChart renders to PNG (an opaque base64 blob) or to separate SVG
 * files;</li>
 * <li><b>no LGPL dependency</b>: XChart's SVG export needs VectorGraphics2D, which is LGPL; its PNG path
 * needs AWT;</li>
 * <li><b>text stays text</b>: titles, axis labels and legends are SVG {@code <text>} elements, selectable,
 * searchable and readable by screen readers, and every label from a run file goes through
 * {@link org.rankfold.tools.report.Html#escape(String)};</li>
 * <li>the charts needed are few and plain: line charts with a linear or base-10 log axis, horizontal and
 * vertical guide lines (the EVBMF threshold, the chosen rank), filled vs hollow markers (kept vs discarded
 * singular values) and labelled scatter points (accuracy vs compression ratio).</li>
 * </ul>
 * The page is also well-formed XML (polyglot HTML5), so the tests parse it with the JDK's XML parser and
 * check its structure exactly.
 */
package org.rankfold.tools.report;
