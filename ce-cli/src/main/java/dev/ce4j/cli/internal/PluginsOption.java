package dev.ce4j.cli.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option, as a picocli mixin: extra jars (evaluators and the libraries
 * they need) loaded from a directory.
 *
 * <p>Every file in DIR whose name ends in {@code .jar} (a symbolic link to one included), sorted by
 * name, goes on one {@link URLClassLoader} whose parent is the class loader of {@code ce} itself,
 * so plugins see {@code ce-api} and everything else on the {@code ce} class path. Sub-directories
 * are not searched. Nothing in DIR is skipped without a word: each of these is an {@link
 * InvalidInputException} naming the jar and the reason, before any evaluator is used:
 *
 * <ul>
 *   <li>a {@code .jar} that is not a readable jar (zip) file: empty, truncated, not a zip, a
 *       directory, a dangling symbolic link, unreadable;
 *   <li>a class named in a jar's {@code META-INF/services/dev.ce4j.api.eval.Evaluator} that is
 *       missing, does not implement {@link Evaluator}, or cannot be linked (a class it needs is
 *       missing, a class file for a newer Java);
 *   <li>a plugin evaluator whose constructor or static initialiser throws (see {@link
 *       Plugins#evaluators()});
 *   <li>a DIR where no jar declares an evaluator. A jar without that service file is accepted
 *       when another one declares an evaluator: it is taken for a library the plugin needs.
 * </ul>
 *
 * <p>Not thread-safe: picocli fills it in once per run.
 */
public final class PluginsOption {
  /** Where a jar declares its evaluators, as {@link java.util.ServiceLoader} reads them. */
  public static final String SERVICE_FILE = "META-INF/services/" + Evaluator.class.getName();

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
   * class path, or {@code ce}'s own class loader alone when {@code --plugins} was not given. Every
   * jar is checked first (see the class comment).
   *
   * @return the open plugins, never null; close them when the command is done
   * @throws InvalidInputException if DIR does not exist, is not a directory, cannot be listed,
   *     holds no {@code .jar} file, holds a {@code .jar} that cannot be used, or declares no
   *     evaluator
   */
  public Plugins open() {
    ClassLoader parent = PluginsOption.class.getClassLoader();
    if (directory == null) {
      return new Plugins(parent, null, List.of(), Map.of());
    }
    rejectEntriesThatAreNotFiles(directory);
    List<Path> jars = jarsIn(directory);
    Map<Path, List<String>> declared = new LinkedHashMap<>();
    for (Path jar : jars) {
      declared.put(jar, declaredEvaluators(jar));
    }
    if (declared.values().stream().allMatch(List::isEmpty)) {
      throw new InvalidInputException("plugin directory '" + directory + "' declares no evaluator: none of its jars ("
          + jars.stream().map(j -> j.getFileName().toString()).collect(Collectors.joining(", ")) + ") has a "
          + SERVICE_FILE + " file; build the plugin with @AutoService(Evaluator.class) or add that file,"
          + " naming its evaluator classes");
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new InvalidInputException("plugin jar '" + jars.get(i) + "' has no usable URL: " + e.getMessage(), e);
      }
    }
    URLClassLoader loader = new URLClassLoader("ce-plugins", urls, parent);
    try {
      declared.forEach((jar, classes) -> classes.forEach(name -> checkClass(jar, name, loader)));
    } catch (RuntimeException e) {
      close(loader);
      throw e;
    }
    return new Plugins(loader, loader, jars, declared);
  }

  /**
   * The plugin jars of a directory, sorted by file name: its regular files (symbolic links to one
   * included) whose name ends in {@code .jar}.
   *
   * @param dir the directory, never null
   * @return the jars, never empty
   * @throws InvalidInputException if DIR is unusable or holds no jar
   */
  static List<Path> jarsIn(Path dir) {
    List<Path> jars = jarEntries(dir).stream().filter(Files::isRegularFile).toList();
    if (jars.isEmpty()) {
      throw new InvalidInputException(
          "plugin directory '" + dir + "' contains no .jar file; put plugin jars there or drop --plugins");
    }
    return jars;
  }

  /**
   * Checks that every entry of a directory named {@code *.jar} is a file: a directory or a
   * dangling symbolic link with that name is not skipped without a word.
   *
   * @param dir the directory, never null
   * @throws InvalidInputException if DIR is unusable, or naming the first entry that is not a file
   */
  static void rejectEntriesThatAreNotFiles(Path dir) {
    for (Path jar : jarEntries(dir)) {
      if (Files.isDirectory(jar)) {
        throw unusable(jar, "it is a directory, not a jar file; put the jar itself there, or move the directory out of '"
            + dir + "'");
      }
      if (Files.isSymbolicLink(jar) && !Files.exists(jar)) {
        String target;
        try {
          target = Files.readSymbolicLink(jar).toString();
        } catch (IOException e) {
          target = "?";
        }
        throw unusable(jar, "it is a symbolic link to '" + target + "', which does not exist; fix or remove the link");
      }
      if (!Files.isRegularFile(jar)) {
        throw unusable(jar, "it is not a regular file; put the jar itself there, or remove it");
      }
    }
  }

  /** Every entry of DIR whose name ends in {@code .jar}, sorted by name. */
  private static List<Path> jarEntries(Path dir) {
    if (!Files.exists(dir)) {
      throw new InvalidInputException(
          "plugin directory '" + dir + "' does not exist; --plugins needs a directory of plugin .jar files");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "'" + dir + "' is not a directory; --plugins needs a directory of plugin .jar files");
    }
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      // Windows tools and zip utilities write .JAR as often as .jar
      files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .forEach(entries::add);
    } catch (IOException e) {
      throw new InvalidInputException("cannot list plugin directory '" + dir + "': " + e.getMessage(), e);
    }
    return entries;
  }

  /**
   * The evaluator classes a jar declares in its {@link #SERVICE_FILE}, checking that it is a
   * readable jar.
   *
   * @param jar the jar, never null
   * @return the class names in file order, empty when the jar has no such file; never null
   * @throws InvalidInputException if the file is not a readable jar
   */
  static List<String> declaredEvaluators(Path jar) {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      JarEntry entry = file.getJarEntry(SERVICE_FILE);
      if (entry == null) {
        return List.of();
      }
      String text;
      try (InputStream in = file.getInputStream(entry)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      List<String> names = new ArrayList<>();
      for (String line : text.split("\\R")) {
        int comment = line.indexOf('#');
        String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (!name.isEmpty() && !names.contains(name)) {
          names.add(name);
        }
      }
      return names;
    } catch (ZipException e) {
      throw unusable(jar, "it is not a valid jar (zip) file (" + reason(e) + "); rebuild it, or remove it from '"
          + jar.getParent() + "'", e);
    } catch (IOException e) {
      throw unusable(jar, "it cannot be read (" + reason(e) + ")", e);
    }
  }

  /** Checks that a declared class exists, links and is an evaluator, without initialising it. */
  private static void checkClass(Path jar, String name, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw unusable(jar, "its " + SERVICE_FILE + " names " + name
          + ", a class that is neither in the jar nor on ce's class path; fix the name or rebuild the jar", e);
    } catch (NoClassDefFoundError e) {
      String missing = reason(e);
      if (missing.matches("[\\w$/.]+")) {
        throw unusable(jar, "class " + name + ", named in its " + SERVICE_FILE + ", needs " + missing.replace('/', '.')
            + ", which is neither in the jar nor on ce's class path; put the jar that holds it in '" + jar.getParent()
            + "' too", e);
      }
      throw unusable(jar, "class " + name + ", named in its " + SERVICE_FILE + ", cannot be loaded (" + missing
          + "); put the jars it needs in '" + jar.getParent() + "' too", e);
    } catch (LinkageError e) {
      String hint = e instanceof UnsupportedClassVersionError
          ? "; build the plugin for Java " + Runtime.version().feature() + " or earlier"
          : "; rebuild the jar";
      throw unusable(jar, "class " + name + ", named in its " + SERVICE_FILE + ", cannot be loaded ("
          + e.getClass().getSimpleName() + ": " + reason(e) + ")" + hint, e);
    }
    if (!Evaluator.class.isAssignableFrom(c)) {
      throw unusable(jar, "its " + SERVICE_FILE + " names " + name + ", which does not implement "
          + Evaluator.class.getName() + "; remove it from that file");
    }
  }

  private static InvalidInputException unusable(Path jar, String why) {
    return new InvalidInputException("plugin jar '" + jar + "' could not be loaded: " + why);
  }

  private static InvalidInputException unusable(Path jar, String why, Throwable cause) {
    return new InvalidInputException("plugin jar '" + jar + "' could not be loaded: " + why, cause);
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void close(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // nothing useful to do: the jars are read-only and the command is about to fail
    }
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
    private final Map<Path, List<String>> declared;

    private Plugins(ClassLoader classLoader, URLClassLoader owned, List<Path> jars, Map<Path, List<String>> declared) {
      this.classLoader = classLoader;
      this.owned = owned;
      this.jars = jars;
      this.declared = declared;
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

    /**
     * Discovers the evaluators, {@code ce}'s own and the plugins', with
     * {@link EvaluatorRegistry#load(ClassLoader)}. When a plugin's evaluator cannot be created, the
     * message names the jar whose service file declares it.
     *
     * @return the registry, never null
     * @throws CeException if discovery fails (see {@link EvaluatorRegistry#load(ClassLoader)})
     */
    public EvaluatorRegistry evaluators() {
      try {
        return EvaluatorRegistry.load(classLoader);
      } catch (CeException e) {
        Path jar = e.getCause() instanceof ServiceConfigurationError ? declaringJar(e.getMessage()) : null;
        if (jar == null) {
          throw e;
        }
        throw new InvalidInputException("plugin jar '" + jar + "': " + e.getMessage(), e);
      }
    }

    /**
     * Turns an error that a plugin's class hit while it ran (a class it needs is missing from DIR)
     * into a message naming the plugin's jar; an error of any other class is returned as it is.
     *
     * @param pluginClass the class that was running, such as the evaluator's, never null
     * @param error the error, never null
     * @return an {@link InvalidInputException} naming the jar when {@code pluginClass} came from a
     *     plugin jar, else {@code error}; never null
     */
    public Throwable explain(Class<?> pluginClass, LinkageError error) {
      Path jar = jarOf(pluginClass);
      if (jar == null) {
        return error;
      }
      String what = reason(error);
      String needs = error instanceof NoClassDefFoundError && what.matches("[\\w$/.]+")
          ? "needs " + what.replace('/', '.') + ", which is neither in the jar nor on ce's class path; put the jar"
              + " that holds it in '" + jar.getParent() + "' too"
          : "cannot run (" + error.getClass().getSimpleName() + ": " + what + "); rebuild the jar or add the jars"
              + " it needs to '" + jar.getParent() + "'";
      return new InvalidInputException("plugin jar '" + jar + "': class " + pluginClass.getName() + " " + needs, error);
    }

    /** The plugin jar a class was loaded from, or null when it is not from one. */
    private Path jarOf(Class<?> c) {
      if (owned == null || c.getClassLoader() != owned || c.getProtectionDomain().getCodeSource() == null) {
        return null;
      }
      try {
        Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path jar : jars) {
          if (jar.toUri().equals(location.toUri()) || Files.isSameFile(jar, location)) {
            return jar;
          }
        }
      } catch (java.net.URISyntaxException | IOException | IllegalArgumentException e) {
        return null;
      }
      return null;
    }

    /** The jar that declares the class a message names (the longest name that matches), or null. */
    private Path declaringJar(String message) {
      Path found = null;
      int longest = 0;
      for (Map.Entry<Path, List<String>> e : declared.entrySet()) {
        for (String name : e.getValue()) {
          if (name.length() > longest
              && Pattern.compile("(?<![\\w.$])" + Pattern.quote(name) + "(?![\\w$])").matcher(message).find()) {
            found = e.getKey();
            longest = name.length();
          }
        }
      }
      return found;
    }

    /** Releases the plugin jars. */
    @Override
    public void close() {
      if (owned != null) {
        PluginsOption.close(owned);
      }
    }
  }
}
