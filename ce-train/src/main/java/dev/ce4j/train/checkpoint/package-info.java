/**
 * Checkpoint folders of an output folder: the on-disk layout, crash-safe creation (a temporary
 * folder renamed into place once complete), discovery of the latest complete checkpoint, and
 * retention. The trainer supplies the contents.
 */
package dev.ce4j.train.checkpoint;
