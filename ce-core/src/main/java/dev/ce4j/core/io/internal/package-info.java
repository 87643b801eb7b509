/**
 * Non-API helpers of the file readers of {@code ce-core}: opening a user's file only when it is a
 * regular file, so that a named pipe, a directory or a dangling link is reported by name instead of
 * blocking the reader or surfacing as "file not found"; Jackson's parse errors worded for a user.
 */
package dev.ce4j.core.io.internal;
