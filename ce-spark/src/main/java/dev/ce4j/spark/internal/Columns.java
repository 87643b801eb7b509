package dev.ce4j.spark.internal;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks a dataset's columns on the driver, before a job starts. Stateless. */
public final class Columns {
  private Columns() {}

  /**
   * The index of a column, which must exist.
   *
   * @param schema the dataset's schema, never null
   * @param name the column, never null
   * @param role what the column is for (for the message), never null
   * @return the field index
   * @throws InvalidInputException naming the column and the columns there are
   */
  public static int require(StructType schema, String name, String role) {
    for (int i = 0; i < schema.fields().length; i++) {
      if (schema.fields()[i].name().equals(name)) {
        return i;
      }
    }
    throw new InvalidInputException("the " + role + " column '" + name + "' is not in the dataset; its columns are "
        + Arrays.toString(schema.fieldNames()));
  }

  /**
   * The index of a column, which must exist and have one of some types.
   *
   * @param schema the dataset's schema, never null
   * @param name the column, never null
   * @param role what the column is for, never null
   * @param types the accepted types, at least one
   * @return the field index
   * @throws InvalidInputException naming the column and its type
   */
  public static int require(StructType schema, String name, String role, DataType... types) {
    int i = require(schema, name, role);
    StructField f = schema.fields()[i];
    for (DataType t : types) {
      if (t.equals(f.dataType())) {
        return i;
      }
    }
    throw new InvalidInputException("the " + role + " column '" + name + "' has type " + f.dataType().simpleString()
        + "; expected " + Arrays.stream(types).map(DataType::simpleString).toList());
  }

  /**
   * Whether a column exists.
   *
   * @param schema the schema, never null
   * @param name the column, never null
   * @return whether it does
   */
  public static boolean has(StructType schema, String name) {
    return Arrays.asList(schema.fieldNames()).contains(name);
  }
}
