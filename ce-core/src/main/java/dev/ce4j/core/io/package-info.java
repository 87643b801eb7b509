/**
 * Model files: the safetensors format (read and written in Java, half-precision types converted to
 * F32 before anything reaches the engine), Hugging Face {@code config.json}, and whole model
 * folders as sentence-transformers and transformers write them; {@link dev.ce4j.core.io.AtomicFiles},
 * the crash-safe writes (temporary file, fsync, rename) of every file {@code ce} saves. Files with
 * one entry per line are read by {@code dev.ce4j.core.io.lines}.
 *
 * <p>Every damaged input is reported as an {@link dev.ce4j.api.InvalidInputException} whose message
 * names the file and what is wrong with it.
 */
package dev.ce4j.core.io;
