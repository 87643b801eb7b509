package dev.ce4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of {@code ce} that runs: stamped into saved folders and training manifests. */
public final class CeVersion {
  /** What {@link #get()} returns when the version cannot be found. */
  public static final String UNKNOWN = "unknown";

  private static final String VERSION = detect();

  private CeVersion() {}

  /**
   * The version: the {@code Implementation-Version} of {@code ce-core}'s jar, else the version
   * recorded at build time in a resource, else {@value #UNKNOWN}.
   *
   * @return the version, such as {@code 0.1.0-SNAPSHOT}, never null
   */
  public static String get() {
    return VERSION;
  }

  private static String detect() {
    String v = CeVersion.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = CeVersion.class.getResourceAsStream("ce-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String fromResource = p.getProperty("version");
        if (fromResource != null && !fromResource.isBlank() && !fromResource.startsWith("${")) {
          return fromResource.trim();
        }
      }
    } catch (IOException e) {
      // fall through to unknown
    }
    return UNKNOWN;
  }
}
