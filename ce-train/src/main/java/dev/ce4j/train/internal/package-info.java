/**
 * The trainer's helpers, not an API: loss construction from configs, batch building, engine
 * set-up (thread pinning, determinism checks), resume checks, and a test hook for deterministic
 * crash points.
 */
package dev.ce4j.train.internal;
