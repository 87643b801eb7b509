package dev.ce4j.core.io;

import java.util.Locale;

/**
 * The element types of the safetensors format, with their names as they appear in a header.
 *
 * <p>Only {@link #F32}, {@link #F16}, {@link #BF16} and {@link #F64} can be read as model weights;
 * the others are recognised so that their sizes can be checked and buffers such as {@code
 * position_ids} skipped.
 */
public enum DType {
  /** Boolean, one byte. */
  BOOL(1, false),
  /** Unsigned 8-bit integer. */
  U8(1, false),
  /** Signed 8-bit integer. */
  I8(1, false),
  /** 8-bit float, 4 exponent bits. */
  F8_E4M3(1, false),
  /** 8-bit float, 5 exponent bits. */
  F8_E5M2(1, false),
  /** Signed 16-bit integer. */
  I16(2, false),
  /** Unsigned 16-bit integer. */
  U16(2, false),
  /** IEEE 754 half precision. */
  F16(2, true),
  /** bfloat16: the upper half of an F32. */
  BF16(2, true),
  /** Signed 32-bit integer. */
  I32(4, false),
  /** Unsigned 32-bit integer. */
  U32(4, false),
  /** IEEE 754 single precision. */
  F32(4, true),
  /** IEEE 754 double precision. */
  F64(8, true),
  /** Signed 64-bit integer. */
  I64(8, false),
  /** Unsigned 64-bit integer. */
  U64(8, false);

  private final int size;
  private final boolean floating;

  DType(int size, boolean floating) {
    this.size = size;
    this.floating = floating;
  }

  /**
   * Bytes per element.
   *
   * @return the element size in bytes
   */
  public int size() {
    return size;
  }

  /**
   * Whether values of this type can be read as F32 weights.
   *
   * @return true for F16, BF16, F32 and F64
   */
  public boolean isReadableAsFloat() {
    return floating;
  }

  /**
   * The type with a header name.
   *
   * @param name the name as written in a safetensors header, never null
   * @return the type, or null if the name is not a safetensors dtype
   */
  public static DType fromHeaderName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
