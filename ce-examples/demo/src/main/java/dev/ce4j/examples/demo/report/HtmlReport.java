package dev.ce4j.examples.demo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds a self-contained HTML report: a title, paragraphs, tables and line charts drawn as inline
 * SVG. Nothing is fetched when the page opens (no script, no web font, no image file), so it reads
 * the same offline. Not thread-safe.
 */
public final class HtmlReport {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
  private final StringBuilder body = new StringBuilder();
  private final String title;

  /**
   * A report with a title.
   *
   * @param title the page title, never null
   */
  public HtmlReport(String title) {
    this.title = Objects.requireNonNull(title, "title");
  }

  /**
   * Adds a section heading.
   *
   * @param text the heading, never null
   * @return this report
   */
  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  /**
   * Adds a paragraph of plain text.
   *
   * @param text the text, never null
   * @return this report
   */
  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /**
   * Adds preformatted text (a command, a fingerprint).
   *
   * @param text the text, never null
   * @return this report
   */
  public HtmlReport code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /**
   * Adds a table; cells that parse as numbers are right-aligned.
   *
   * @param header the header cells, never null
   * @param rows the rows, each as long as the header, never null
   * @return this report
   */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String c : row) {
        boolean num = c.matches("-?[0-9.]+");
        body.append(num ? "<td class=\"n\">" : "<td>").append(escape(c)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /**
   * Adds a line chart of one or more series sharing the axes.
   *
   * @param chartTitle the chart title, never null
   * @param xLabel the x axis label, never null
   * @param yLabel the y axis label, never null
   * @param series the curves, never null; empty gives a note instead of a chart
   * @return this report
   */
  public HtmlReport chart(String chartTitle, String xLabel, String yLabel, List<Series> series) {
    body.append(svg(chartTitle, xLabel, yLabel, series));
    return this;
  }

  /**
   * The page.
   *
   * @return the HTML document, never null
   */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
        + "h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n"
        + "table{border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #ccc;padding:.3em .7em}th{background:#f3f3f3;text-align:left}\n"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}\n"
        + ".charts{display:flex;flex-wrap:wrap;gap:1em}svg{background:#fff;border:1px solid #e3e3e3}\n"
        + "</style>\n</head>\n<body>\n<h1>"
        + escape(title)
        + "</h1>\n"
        + body
        + "</body>\n</html>\n";
  }

  static String svg(String chartTitle, String xLabel, String yLabel, List<Series> series) {
    int w = 480;
    int h = 290;
    int left = 60;
    int right = 15;
    int top = 30;
    // the legend sits in rows of two under the x axis label, never over the curves
    int legendRows = (series.size() + 1) / 2;
    int bottom = 45 + 16 * legendRows;
    h += 16 * legendRows;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] xs = s.xs();
      double[] ys = s.ys();
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(ys[i])) {
          minX = Math.min(minX, xs[i]);
          maxX = Math.max(maxX, xs[i]);
          minY = Math.min(minY, ys[i]);
          maxY = Math.max(maxY, ys[i]);
        }
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n", w, h, w, h));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\">%s</text>%n", w / 2, escape(chartTitle)));
    if (!Double.isFinite(minX)) {
      b.append("<text x=\"240\" y=\"150\" text-anchor=\"middle\" font-size=\"13\">no data</text></svg>\n");
      return b.toString();
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    double pad = (maxY - minY) * 0.08;
    if (pad == 0) {
      pad = Math.max(Math.abs(maxY) * 0.1, 0.05);
    }
    minY -= pad;
    maxY += pad;
    double pw = w - left - right;
    double ph = h - top - bottom;
    // axes, grid and ticks
    for (int i = 0; i <= 4; i++) {
      double yv = minY + (maxY - minY) * i / 4;
      double y = top + ph - ph * i / 4;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", left, y, w - right, y));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", left - 5, y + 4, tick(yv)));
      double xv = minX + (maxX - minX) * i / 4;
      double x = left + pw * i / 4;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", x, top + (int) ph + 15, tick(xv)));
    }
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#888\"/>%n", left, top, pw, ph));
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n", left + pw / 2, top + (int) ph + 32, escape(xLabel)));
    b.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n", top + ph / 2, top + ph / 2, escape(yLabel)));
    int si = 0;
    int ci = 0;
    for (Series s : series) {
      String color = s.faint() ? "#9bbfdc" : COLORS[ci++ % COLORS.length];
      double[] xs = s.xs();
      double[] ys = s.ys();
      double width = s.faint() ? 1 : 2;
      // markers only where there are few points; a per-step curve would be a smear of dots
      boolean markers = !s.faint() && xs.length <= 40;
      List<String> pts = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(ys[i])) {
          double x = left + pw * (xs[i] - minX) / (maxX - minX);
          double y = top + ph - ph * (ys[i] - minY) / (maxY - minY);
          pts.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
          if (markers) {
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s: %s %s, %s</title></circle>%n",
                x, y, color, escape(s.name()), escape(xLabel), tick(xs[i]), String.format(Locale.ROOT, "%.4f", ys[i])));
          }
        }
      }
      b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.0f\" points=\"%s\"/>%n", color, width, String.join(" ", pts)));
      double lx = left + (si % 2) * (pw / 2);
      int ly = top + (int) ph + 50 + 16 * (si / 2);
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%.0f\"/>%n", lx, ly - 4, lx + 18, ly - 4, color, width));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n", lx + 22, ly, escape(s.name())));
      si++;
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /**
   * Opens a row of charts (they wrap on narrow windows).
   *
   * @return this report
   */
  public HtmlReport beginCharts() {
    body.append("<div class=\"charts\">\n");
    return this;
  }

  /**
   * Closes a row of charts.
   *
   * @return this report
   */
  public HtmlReport endCharts() {
    body.append("</div>\n");
    return this;
  }

  private static String tick(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.3f", v);
  }

  /**
   * Escapes text for HTML content and attribute values.
   *
   * @param s the text, never null
   * @return the escaped text, never null
   */
  public static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
