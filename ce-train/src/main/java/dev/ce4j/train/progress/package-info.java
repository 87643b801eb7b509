/**
 * What a run shows and leaves behind as it goes: progress lines on the terminal (step, loss,
 * learning rate, rate, ETA) and the metrics of every evaluation as CSV and JSON Lines files in the
 * output folder.
 */
package dev.ce4j.train.progress;
