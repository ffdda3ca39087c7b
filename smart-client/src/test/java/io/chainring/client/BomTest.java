package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM users import (docs/CLIENT.md) has no parent, so nothing keeps it in step with the build
 * by itself: its version must be the project's, it must manage every client artifact, and it must
 * pin commons-lang3 to the version the build uses.
 */
class BomTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..");

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
    }

    private static String topLevel(Document d, String name) {
        NodeList l = d.getDocumentElement().getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    @Test
    void theBomManagesTheClientArtifactsAtTheProjectsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("bom/pom.xml"));
        String version = topLevel(parent, "version");
        assertThat(topLevel(bom, "version")).isEqualTo(version);
        assertThat(topLevel(bom, "parent")).as("no parent: importing it must pin nothing else").isNull();

        Map<String, String> managed = new LinkedHashMap<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String v = child(d, "version");
            managed.put(child(d, "artifactId"), v.equals("${chainring.version}") ? child(bom.getDocumentElement(), "chainring.version") : v);
        }
        for (String artifact : new String[] {"chainring-client", "chainring-client-micrometer", "chainring-ring", "chainring-thrift"}) {
            assertThat(managed).as("the BOM manages %s", artifact).containsEntry(artifact, version);
        }
        assertThat(managed.get("commons-lang3")).isEqualTo(child(parent.getDocumentElement(), "commons-lang3.version"));
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<module>bom</module>");
    }
}
