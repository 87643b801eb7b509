package dev.ce4j.core.arch;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one place where architectures are discovered: every {@link Architecture} that {@link
 * ServiceLoader} finds, by id and by the {@code model_type} values it serves.
 *
 * <p>Discovery fails fast: two architectures with one id, or claiming one {@code model_type}, are
 * an error naming both classes; an id or type that is not lowercase letters, digits, {@code -} and
 * {@code _} is an error naming the class; a provider that cannot be loaded is an error naming it
 * and why. An unknown {@code model_type} is answered with the known ones. Immutable and
 * thread-safe.
 */
public final class Architectures {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([-_][a-z0-9]+)*");
  private static volatile Architectures discovered;

  private final Map<String, Architecture> byId;
  private final Map<String, Architecture> byModelType;

  private Architectures(Map<String, Architecture> byId, Map<String, Architecture> byModelType) {
    this.byId = byId;
    this.byModelType = byModelType;
  }

  /**
   * The architectures on this module's class path, discovered once per JVM.
   *
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id or type, or a provider that cannot be loaded
   */
  public static Architectures load() {
    Architectures a = discovered;
    if (a == null) {
      a = load(Architectures.class.getClassLoader());
      discovered = a;
    }
    return a;
  }

  /**
   * The architectures visible to a class loader (discovered afresh).
   *
   * @param loader the class loader to search, never null
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id or type, or a provider that cannot be loaded
   */
  public static Architectures load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    List<Architecture> found = new ArrayList<>();
    try {
      for (Architecture a : ServiceLoader.load(Architecture.class, loader)) {
        found.add(a);
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new CeException("an architecture plugin could not be loaded: " + e.getMessage()
          + (cause != e ? " (" + cause + ")" : ""), e);
    }
    return of(found);
  }

  /**
   * A registry of exactly the given architectures, with the same checks as discovery.
   *
   * @param architectures the architectures, never null
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id or type
   */
  public static Architectures of(List<? extends Architecture> architectures) {
    Map<String, Architecture> byId = new TreeMap<>();
    Map<String, Architecture> byType = new TreeMap<>();
    for (Architecture a : architectures) {
      Objects.requireNonNull(a, "architecture");
      String id = a.id();
      check(a, "id", id);
      Architecture previous = byId.putIfAbsent(id, a);
      if (previous != null) {
        throw new CeException("two architectures claim the id '" + id + "': " + previous.getClass().getName()
            + " and " + a.getClass().getName() + "; remove one of them from the class path");
      }
      if (a.modelTypes() == null || a.modelTypes().isEmpty()) {
        throw new CeException("architecture " + a.getClass().getName() + " serves no model_type");
      }
      for (String type : a.modelTypes()) {
        check(a, "model_type", type);
        previous = byType.putIfAbsent(type, a);
        if (previous != null) {
          throw new CeException("two architectures claim the model_type '" + type + "': "
              + previous.getClass().getName() + " and " + a.getClass().getName()
              + "; remove one of them from the class path");
        }
      }
    }
    return new Architectures(Collections.unmodifiableMap(byId), Collections.unmodifiableMap(byType));
  }

  private static void check(Architecture a, String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new CeException("architecture " + a.getClass().getName() + " has " + what + " '" + value
          + "'; it must be lowercase letters, digits, '-' and '_', such as 'xlm-roberta'");
    }
  }

  /**
   * The architecture serving a {@code model_type}.
   *
   * @param modelType the type, never null
   * @param source the file that names it, for the message, never null
   * @return the architecture, never null
   * @throws InvalidInputException naming {@code source}, the type and the known types if no
   *     architecture serves it
   */
  public Architecture forModelType(String modelType, String source) {
    Objects.requireNonNull(modelType, "modelType");
    Architecture a = byModelType.get(modelType);
    if (a == null) {
      throw new InvalidInputException(source + ": unsupported model_type \"" + modelType
          + "\"; the architectures on the class path serve " + String.join(", ", byModelType.keySet())
          + " (see ce architectures)");
    }
    return a;
  }

  /**
   * The architecture with an id.
   *
   * @param id the id, never null
   * @return the architecture, never null
   * @throws InvalidInputException listing the known ids if none has it
   */
  public Architecture get(String id) {
    Architecture a = byId.get(Objects.requireNonNull(id, "id"));
    if (a == null) {
      throw new InvalidInputException(
          "unknown architecture '" + id + "'; known architectures: " + String.join(", ", byId.keySet()));
    }
    return a;
  }

  /**
   * Every architecture, sorted by id.
   *
   * @return an unmodifiable list, never null
   */
  public List<Architecture> architectures() {
    return List.copyOf(byId.values());
  }

  /**
   * Every {@code model_type} served, sorted.
   *
   * @return an unmodifiable list, never null
   */
  public List<String> modelTypes() {
    return List.copyOf(byModelType.keySet());
  }
}
