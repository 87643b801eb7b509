/**
 * The training commands: {@code ce train} trains reproducibly from a JSON config (and resumes),
 * {@code ce reproduce} replays a recorded run and reports a match or the first divergence.
 */
package dev.ce4j.cli.train;
