/**
 * The run manifest ({@code run.json}): everything needed to repeat and verify a training run —
 * arguments, seeds, data digests, software and hardware, fingerprints and metrics.
 */
package dev.ce4j.train.manifest;
