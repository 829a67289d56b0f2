package com.vitasense.jobs.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/**
 * The repository's deployment files and the versions pinned in the parent {@code pom.xml}, so that
 * deployment tests compare what they check with the build's own versions, not with copies.
 */
final class ProjectFiles {
    private ProjectFiles() {}

    /** The repository root: the parent of the {@code jobs} module, where tests run. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("jobs"))
                    && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the repository: " + dir);
    }

    /** A property of the parent pom, e.g. {@code flink.version}. */
    static String pomProperty(String name) {
        String value = pomValue("/*[local-name()='project']/*[local-name()='properties']/*[local-name()='" + name + "']");
        if (value.isEmpty()) {
            throw new IllegalStateException("pom.xml has no property " + name);
        }
        return value;
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String projectVersion() {
        return pomValue("/*[local-name()='project']/*[local-name()='version']");
    }

    private static String pomValue(String xpath) {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(root().resolve("pom.xml").toFile());
            return XPathFactory.newInstance().newXPath().evaluate(xpath, pom).trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot evaluate " + xpath + " on pom.xml", e);
        }
    }
}
