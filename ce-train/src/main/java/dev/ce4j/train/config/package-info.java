/**
 * Training configuration: {@link dev.ce4j.train.config.TrainingArguments}, built in Java or read
 * from a JSON file with the same fields, validated on construction, written as canonical JSON
 * that can be hashed and compared.
 */
package dev.ce4j.train.config;
