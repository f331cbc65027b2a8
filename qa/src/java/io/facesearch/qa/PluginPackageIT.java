package io.facesearch.qa;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The plugin zip extends the k-NN plugin and does not ship it: the node loads the k-NN classes the queries use from
 * the k-NN plugin itself, and the node under test reports face-search as extending it.
 */
public class PluginPackageIT extends FaceSearchRestTestCase {
    private static final String KNN = "opensearch-knn";

    private static Path pluginZip() {
        String zip = System.getProperty("face_search.plugin.zip");
        assertNotNull("system property face_search.plugin.zip is not set", zip);
        Path path = Path.of(zip);
        assertTrue("no plugin zip at " + path, Files.isRegularFile(path));
        return path;
    }

    public void testTheDescriptorExtendsKnn() throws IOException {
        try (ZipFile zip = new ZipFile(pluginZip().toFile())) {
            ZipEntry entry = zip.getEntry("plugin-descriptor.properties");
            assertNotNull("the zip has no plugin-descriptor.properties", entry);
            Properties descriptor = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                descriptor.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            assertEquals(KNN, descriptor.getProperty("extended.plugins"));
        }
    }

    public void testNoKnnClassIsShipped() throws IOException {
        List<String> jars = new ArrayList<>();
        List<String> knnClasses = new ArrayList<>();
        try (ZipFile zip = new ZipFile(pluginZip().toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().endsWith(".jar")) {
                    jars.add(entry.getName());
                    try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(entry))) {
                        for (ZipEntry inner; (inner = jar.getNextEntry()) != null;) {
                            if (inner.getName().startsWith("org/opensearch/knn/")) {
                                knnClasses.add(entry.getName() + "!" + inner.getName());
                            }
                        }
                    }
                }
            }
        }
        assertFalse("the zip holds no jar", jars.isEmpty());
        assertTrue("k-NN jars shipped: " + jars, jars.stream().noneMatch(name -> name.contains("knn")));
        assertTrue("k-NN classes shipped: " + knnClasses.stream().limit(5).toList(), knnClasses.isEmpty());
    }

    public void testTheNodeLoadsFaceSearchAsAnExtensionOfKnn() throws IOException {
        Map<String, Object> nodes = asMap(callOk("GET", "/_nodes/plugins", null).body().get("nodes"));
        assertFalse(nodes.isEmpty());
        for (Object node : nodes.values()) {
            Map<String, Object> faceSearch = asListOfMaps(asMap(node).get("plugins")).stream()
                .filter(plugin -> "face-search".equals(plugin.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("face-search is not installed: " + node));
            assertEquals(List.of(KNN), faceSearch.get("extended_plugins"));
        }
    }
}
