/**
 * Seeding of DJL's process-global random generators: the one place in {@code ce} that calls {@code
 * Engine.setRandomSeed}.
 */
package dev.ce4j.core.seed;
