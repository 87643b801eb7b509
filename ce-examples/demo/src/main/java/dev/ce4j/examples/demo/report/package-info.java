/**
 * The demo's {@code report.html}: one self-contained page (inline CSS and SVG, no script, no
 * network) with the training curves and the test table. See {@link
 * dev.ce4j.examples.demo.report.HtmlReport}.
 */
package dev.ce4j.examples.demo.report;
