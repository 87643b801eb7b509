package dev.ce4j.bomcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM lists exactly the published ce modules, each at {@code ${project.version}}, with no
 * {@code <scope>} and no third-party entry, and inherits nothing from the parent.
 *
 * <p>The published modules are the parent's {@code <modules>}, and their submodules, minus
 * those that are not published: the BOM itself, this module, the examples, the benchmarks, any
 * module that sets {@code maven.deploy.skip}, and every submodule of an unpublished module.
 */
class BomContentsTest {
  /** Modules that are never published, by artifactId. */
  private static final Set<String> NOT_PUBLISHED = Set.of("ce-bom", "ce-bom-check", "ce-examples", "ce-benchmarks");

  private static Path root;
  private static Element parent;
  private static Element bom;

  @BeforeAll
  static void readPoms() throws Exception {
    root = Path.of(System.getProperty("ce.root", "..")).toAbsolutePath().normalize();
    parent = read(root.resolve("pom.xml"));
    bom = read(root.resolve("bom/pom.xml"));
  }

  @Test
  void theBomListsExactlyThePublishedModules() throws Exception {
    assertThat(artifactIds(bomEntries()))
        .as("artifactIds in bom/pom.xml; published modules come from the parent's <modules>")
        .containsExactlyInAnyOrderElementsOf(publishedModules());
  }

  @Test
  void theBomListsEachModuleOnce() {
    List<String> ids = artifactIds(bomEntries());
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void everyEntryIsACeModuleAtTheProjectVersionWithoutScopeTypeOrClassifier() {
    List<Element> entries = bomEntries();
    assertThat(entries).isNotEmpty();
    for (Element e : entries) {
      String id = text(e, "artifactId");
      assertThat(text(e, "groupId")).as("groupId of %s (no third-party entries)", id).isEqualTo("dev.ce4j");
      assertThat(text(e, "version")).as("version of %s", id).isEqualTo("${project.version}");
      assertThat(child(e, "scope")).as("<scope> of %s", id).isNull();
      assertThat(child(e, "type")).as("<type> of %s", id).isNull();
      assertThat(child(e, "classifier")).as("<classifier> of %s", id).isNull();
    }
  }

  @Test
  void theBomHasNoParentAndNothingButItsDependencyManagement() {
    assertThat(child(bom, "parent")).as("<parent> of the BOM: it must not inherit the parent's dependencyManagement").isNull();
    assertThat(child(bom, "dependencies")).as("<dependencies> of the BOM").isNull();
    assertThat(child(bom, "repositories")).as("<repositories> of the BOM").isNull();
    assertThat(text(bom, "packaging")).isEqualTo("pom");
    assertThat(text(bom, "groupId")).isEqualTo("dev.ce4j");
    assertThat(text(bom, "artifactId")).isEqualTo("ce-bom");
    assertThat(text(bom, "version")).as("the BOM's version equals the parent's").isEqualTo(text(parent, "version"));
  }

  @Test
  void theExclusionsAreRealModuleNames() throws Exception {
    // guards the test itself: the BOM and this module must be found among the modules
    assertThat(moduleArtifactIds()).contains("ce-bom", "ce-bom-check", "ce-api", "ce-eval");
  }

  // ---------------------------------------------------------------------------------------------

  private static Set<String> publishedModules() throws Exception {
    Set<String> published = new TreeSet<>();
    collectPublished(root, published);
    return published;
  }

  /** Walks the module tree; an unpublished module's submodules are unpublished too. */
  private static void collectPublished(Path dir, Set<String> published) throws Exception {
    Element pom = read(dir.resolve("pom.xml"));
    for (String module : modules(pom)) {
      Path child = dir.resolve(module);
      Element childPom = read(child.resolve("pom.xml"));
      String id = text(childPom, "artifactId");
      Element properties = child(childPom, "properties");
      boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
      if (!NOT_PUBLISHED.contains(id) && !skipped) {
        published.add(id);
        collectPublished(child, published);
      }
    }
  }

  private static Set<String> moduleArtifactIds() throws Exception {
    Set<String> ids = new TreeSet<>();
    for (String module : modules(parent)) {
      ids.add(text(read(root.resolve(module).resolve("pom.xml")), "artifactId"));
    }
    return ids;
  }

  private static List<String> modules(Element pom) {
    List<String> modules = new ArrayList<>();
    for (Element m : children(child(pom, "modules"), "module")) {
      modules.add(m.getTextContent().trim());
    }
    return modules;
  }

  private static List<Element> bomEntries() {
    Element management = child(bom, "dependencyManagement");
    assertThat(management).as("<dependencyManagement> of the BOM").isNotNull();
    return children(child(management, "dependencies"), "dependency");
  }

  private static List<String> artifactIds(List<Element> entries) {
    List<String> ids = new ArrayList<>();
    for (Element e : entries) {
      ids.add(text(e, "artifactId"));
    }
    return ids;
  }

  private static Element read(Path pom) throws Exception {
    assertThat(pom).exists();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (var in = Files.newInputStream(pom)) {
      return factory.newDocumentBuilder().parse(in).getDocumentElement();
    }
  }

  /** The first direct child element with a name, or null. */
  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          found.add(e);
        }
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }
}
