/**
 * ModernBERT ({@code model_type} {@code modernbert}): what transformers 5's {@code
 * ModernBertForSequenceClassification} computes, written as its own eager pass ({@link
 * dev.ce4j.core.arch.modernbert.ModernBertClassifier}) over one parameter array per Hugging Face
 * tensor name ({@link dev.ce4j.core.arch.modernbert.ModernBertTensors}): pre-LayerNorm layers with
 * rotary attention (one theta for the global layers, one for the sliding-window layers), GeGLU
 * feed-forward blocks, CLS or mean pooling and the {@code head.dense}, activation, {@code head.norm},
 * {@code classifier} head; scoring runs the same operators as one TorchScript call ({@link
 * dev.ce4j.core.arch.modernbert.ModernBertScript}). Transcribed from huggingface/transformers (v5 line)
 * {@code models/modernbert/modeling_modernbert.py} at commit 000c33fd and {@code
 * configuration_modernbert.py} at commit 001f85b3; the fixtures' torch transcription is {@code
 * ce-core/src/test/python/architectures/hf_modernbert.py}.
 */
package dev.ce4j.core.arch.modernbert;
