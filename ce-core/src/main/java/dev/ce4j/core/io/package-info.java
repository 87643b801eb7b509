/**
 * Model files: the safetensors format (read and written in Java, half-precision types converted to
 * F32 before anything reaches the engine), Hugging Face {@code config.json}, and whole model
 * folders as sentence-transformers and transformers write them.
 *
 * <p>Every damaged input is reported as an {@link dev.ce4j.api.InvalidInputException} whose message
 * names the file and what is wrong with it.
 */
package dev.ce4j.core.io;
