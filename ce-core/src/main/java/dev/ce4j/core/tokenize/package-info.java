/**
 * Tokenization of (query, document) pairs with DJL's binding of Hugging Face {@code tokenizers},
 * truncated longest-first to the model's maximum length as sentence-transformers does, and padded
 * per batch to the batch's longest pair (never to a fixed length).
 */
package dev.ce4j.core.tokenize;
