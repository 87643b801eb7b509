/**
 * Batch samplers: seeded, stateless (a position (epoch, batch) maps to a batch, so a resumed run
 * continues exactly where it stopped), and stable across JVMs and releases (they use {@link
 * dev.ce4j.train.sampling.SplitMix64}, whose algorithm is fixed here, not {@code java.util}'s).
 */
package dev.ce4j.train.sampling;
