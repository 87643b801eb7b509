/**
 * Seeds: one master seed governs every random number of a training run, through a
 * {@link dev.ce4j.api.seed.SeedStrategy} that derives an independent seed for each named purpose.
 */
package dev.ce4j.api.seed;
