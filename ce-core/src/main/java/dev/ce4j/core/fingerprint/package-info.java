/**
 * Model fingerprints: one SHA-256 over a model's tensors, independent of how a file lays them out,
 * so that two runs can be compared by a single string.
 */
package dev.ce4j.core.fingerprint;
