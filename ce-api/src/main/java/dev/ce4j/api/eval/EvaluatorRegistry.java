package dev.ce4j.api.eval;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The one place where evaluators are discovered: every {@link Evaluator} that
 * {@link ServiceLoader} finds on a class loader, by id.
 *
 * <p>Discovery fails fast: two evaluators with the same id are an error naming both classes, and
 * an id that is not lowercase letters, digits and {@code -} is an error naming the class. A
 * provider that cannot be loaded (a service file naming a missing class or one that is not an
 * {@link Evaluator}, a constructor or static initialiser that throws, a class that needs a missing
 * one) is an error naming the provider and the reason. Asking for an unknown id answers with the
 * list of known ids. Immutable and thread-safe once built.
 */
public final class EvaluatorRegistry {
  private static final Logger LOG = Logger.getLogger(EvaluatorRegistry.class.getName());
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final Map<String, Evaluator> byId;

  private EvaluatorRegistry(Map<String, Evaluator> byId) {
    this.byId = byId;
  }

  /**
   * Discovers the evaluators visible to this module's class loader.
   *
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id, or a provider that cannot be loaded
   */
  public static EvaluatorRegistry load() {
    return load(EvaluatorRegistry.class.getClassLoader());
  }

  /**
   * Discovers the evaluators visible to a class loader, for example one that adds plugin jars.
   *
   * @param loader the class loader to search, never null
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id, or a provider that cannot be loaded
   */
  public static EvaluatorRegistry load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    Map<String, Evaluator> found = new TreeMap<>();
    try {
      for (Evaluator evaluator : ServiceLoader.load(Evaluator.class, loader)) {
        register(found, evaluator);
      }
    } catch (ServiceConfigurationError e) {
      throw new CeException("an evaluator plugin could not be loaded: " + describe(e), e);
    } catch (LinkageError e) {
      // ServiceLoader lets these through when a provider class itself cannot be linked
      throw new CeException("an evaluator plugin could not be loaded: a class it needs is missing or"
          + " unusable (" + e.getClass().getSimpleName() + ": " + describeCause(e) + ")", e);
    }
    LOG.log(Level.FINE, "discovered evaluators {0}", found.keySet());
    return new EvaluatorRegistry(Collections.unmodifiableMap(found));
  }

  /** ServiceLoader's message without the service name it starts with, plus the cause. */
  private static String describe(ServiceConfigurationError e) {
    String message = String.valueOf(e.getMessage());
    String prefix = Evaluator.class.getName() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    String notSubtype = " not a subtype";
    if (message.endsWith(notSubtype) && message.indexOf(' ') == message.length() - notSubtype.length()) {
      message = "Provider " + message.substring(0, message.length() - notSubtype.length())
          + " does not implement " + Evaluator.class.getName();
    }
    Throwable cause = e.getCause();
    if (cause == null) {
      return message;
    }
    if (cause instanceof ExceptionInInitializerError && cause.getCause() != null) {
      return message + ": its static initialiser failed: " + describeCause(cause.getCause());
    }
    if (cause instanceof NoClassDefFoundError && String.valueOf(cause.getMessage()).startsWith("Could not initialize")) {
      // the class failed to initialise at an earlier attempt in this JVM; newer JDKs keep that failure
      Throwable earlier = cause.getCause() instanceof ExceptionInInitializerError init && init.getCause() != null
          ? init.getCause()
          : cause.getCause();
      return message + ": its static initialiser failed" + (earlier == null ? "" : ": " + describeCause(earlier));
    }
    if (message.endsWith("could not be instantiated")) {
      return message + ": its constructor failed: " + describeCause(cause);
    }
    return message + " (" + describeCause(cause) + ")";
  }

  /** A cause's message, or its class name when it has none (the stack trace is for --debug). */
  private static String describeCause(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getName() : message;
  }

  /**
   * A registry of exactly the given evaluators, with the same checks as discovery.
   *
   * @param evaluators the evaluators, never null
   * @return the registry, never null
   * @throws CeException on a duplicate or malformed id
   */
  public static EvaluatorRegistry of(List<? extends Evaluator> evaluators) {
    Map<String, Evaluator> found = new TreeMap<>();
    for (Evaluator e : evaluators) {
      register(found, Objects.requireNonNull(e, "evaluator"));
    }
    return new EvaluatorRegistry(Collections.unmodifiableMap(found));
  }

  private static void register(Map<String, Evaluator> found, Evaluator evaluator) {
    String id = evaluator.id();
    if (id == null || !ID.matcher(id).matches()) {
      throw new CeException(
          "evaluator " + evaluator.getClass().getName() + " has id '" + id
              + "'; an id must be lowercase letters, digits and '-', such as 'binary-classification'");
    }
    Evaluator previous = found.putIfAbsent(id, evaluator);
    if (previous != null) {
      throw new CeException(
          "two evaluators claim the id '" + id + "': " + previous.getClass().getName() + " and "
              + evaluator.getClass().getName() + "; remove one of them from the class path");
    }
  }

  /**
   * The evaluator with an id.
   *
   * @param id the id, never null
   * @return the evaluator, never null
   * @throws InvalidInputException if no evaluator has that id, listing the known ids
   */
  public Evaluator get(String id) {
    Evaluator e = byId.get(Objects.requireNonNull(id, "id"));
    if (e == null) {
      throw new InvalidInputException(
          "unknown evaluator '" + id + "'; known evaluators: " + String.join(", ", byId.keySet()));
    }
    return e;
  }

  /**
   * Every known id, sorted.
   *
   * @return an unmodifiable sorted list, never null
   */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * Every evaluator, sorted by id.
   *
   * @return an unmodifiable list, never null
   */
  public List<Evaluator> evaluators() {
    return List.copyOf(byId.values());
  }
}
