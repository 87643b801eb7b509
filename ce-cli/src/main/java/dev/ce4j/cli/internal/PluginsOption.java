package dev.ce4j.cli.internal;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option, as a picocli mixin: extra jars (evaluators and other
 * service providers) loaded from a directory.
 *
 * <p>Every regular file in DIR whose name ends in {@code .jar}, sorted by name, goes on one
 * {@link URLClassLoader} whose parent is the class loader of {@code ce} itself, so plugins see
 * {@code ce-api} and everything else on the {@code ce} class path. Sub-directories are not
 * searched. Not thread-safe: picocli fills it in once per run.
 */
public final class PluginsOption {

  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "Also load plugins (evaluators) from every *.jar file in DIR.")
  private Path directory;

  /** Creates the option; picocli fills it in. */
  public PluginsOption() {
    // picocli injects the field
  }

  /**
   * The plugin directory given on the command line.
   *
   * @return the directory, or null when {@code --plugins} was not given
   */
  public Path directory() {
    return directory;
  }

  /**
   * Opens the class loader to discover services with: the plugin jars on top of {@code ce}'s own
   * class path, or {@code ce}'s own class loader alone when {@code --plugins} was not given.
   *
   * @return the open plugins, never null; close them when the command is done
   * @throws InvalidInputException if DIR does not exist, is not a directory, cannot be listed,
   *     or holds no {@code .jar} file
   */
  public Plugins open() {
    ClassLoader parent = PluginsOption.class.getClassLoader();
    if (directory == null) {
      return new Plugins(parent, null, List.of());
    }
    List<Path> jars = jarsIn(directory);
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new InvalidInputException("plugin jar '" + jars.get(i) + "' has no usable URL: " + e.getMessage(), e);
      }
    }
    URLClassLoader loader = new URLClassLoader("ce-plugins", urls, parent);
    return new Plugins(loader, loader, jars);
  }

  /**
   * The plugin jars of a directory, sorted by file name.
   *
   * @param dir the directory, never null
   * @return the jars, never empty
   * @throws InvalidInputException if DIR is unusable or holds no jar
   */
  static List<Path> jarsIn(Path dir) {
    if (!Files.exists(dir)) {
      throw new InvalidInputException(
          "plugin directory '" + dir + "' does not exist; --plugins needs a directory of plugin .jar files");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "'" + dir + "' is not a directory; --plugins needs a directory of plugin .jar files");
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .forEach(jars::add);
    } catch (IOException e) {
      throw new InvalidInputException("cannot list plugin directory '" + dir + "': " + e.getMessage(), e);
    }
    if (jars.isEmpty()) {
      throw new InvalidInputException(
          "plugin directory '" + dir + "' contains no .jar file; put plugin jars there or drop --plugins");
    }
    return List.copyOf(jars);
  }

  /**
   * The class loader a command discovers services with, and the plugin jars on it.
   *
   * <p>Closing releases the plugin jars; classes already loaded keep working. Not thread-safe.
   */
  public static final class Plugins implements AutoCloseable {
    private final ClassLoader classLoader;
    private final URLClassLoader owned;
    private final List<Path> jars;

    private Plugins(ClassLoader classLoader, URLClassLoader owned, List<Path> jars) {
      this.classLoader = classLoader;
      this.owned = owned;
      this.jars = jars;
    }

    /**
     * The class loader to pass to {@link java.util.ServiceLoader} or
     * {@link dev.ce4j.api.eval.EvaluatorRegistry#load(ClassLoader)}.
     *
     * @return the loader, never null
     */
    public ClassLoader classLoader() {
      return classLoader;
    }

    /**
     * The plugin jars, sorted by file name.
     *
     * @return an immutable list, empty without {@code --plugins}; never null
     */
    public List<Path> jars() {
      return jars;
    }

    /** Releases the plugin jars. */
    @Override
    public void close() {
      if (owned != null) {
        try {
          owned.close();
        } catch (IOException e) {
          // nothing useful to do: the jars are read-only and the process is about to end
        }
      }
    }
  }
}
