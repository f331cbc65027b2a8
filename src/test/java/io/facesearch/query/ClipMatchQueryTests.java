package io.facesearch.query;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.vision.TestModels;
import io.facesearch.vision.clip.TestClipModels;
import io.facesearch.vision.image.ImageDecoder;

import org.opensearch.common.settings.Settings;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The clip_match query on an in-JVM node with the k-NN plugin and the small test CLIP models, over photos of one
 * colour each: the test image model maps a photo's mean colour onto the first dimensions, and the test text model
 * maps "red", "green" and "blue" onto the same dimensions, so a colour name finds the photo of that colour.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class ClipMatchQueryTests extends FaceSearchIntegTestCase {
    /** Photo id, its colour, its caption. Purple mixes red and blue and sits between them for "red". */
    private static final Map<String, Color> COLOURS = new LinkedHashMap<>();
    private static final Map<String, String> CAPTIONS = new LinkedHashMap<>();
    static {
        photo("red", new Color(255, 0, 0), "red car on the beach");
        photo("green", new Color(0, 255, 0), "green field in the hills");
        photo("blue", new Color(0, 0, 255), "blue sea on the beach");
        photo("purple", new Color(160, 0, 200), "purple kite on the beach");
    }

    private static Path modelsDir;

    private static void photo(String id, Color colour, String caption) {
        COLOURS.put(id, colour);
        CAPTIONS.put(id, caption);
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    @Override
    protected Path modelsDir() {
        return clipModels();
    }

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder()
            .put(FaceSearchSettings.MODELS_MANIFEST.getKey(), clipModels().resolve("manifest.json").toString())
            .put(FaceSearchSettings.CLIP_IMAGE_MODEL.getKey(), TestClipModels.IMAGE_MODEL)
            .put(FaceSearchSettings.CLIP_TEXT_MODEL.getKey(), TestClipModels.TEXT_MODEL)
            .build();
    }

    /** The shared face models next to the test CLIP models. */
    private static synchronized Path clipModels() {
        if (modelsDir == null) {
            try {
                // a path of the default file system: the links point at the shared models, which the test file system does not wrap
                Path dir = Path.of(createTempDir().toString());
                TestClipModels.prepareModelsFolder(dir, TestModels.modelsDir(), Path.of("models/manifest.json"));
                modelsDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelsDir;
    }

    /** A PNG of one colour. */
    private static byte[] png(Color colour, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, colour.getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What the node's CLIP image model gives for a photo of {@code colour}: the vector the ingest would store. */
    private float[] clipVector(Color colour) {
        FaceEngineService engine = internalCluster().getInstance(FaceEngineService.class);
        return engine.clip().embedImage(new ImageDecoder().decode(png(colour, 32)));
    }

    private static String vectorMapping() {
        return "{\"type\":\"knn_vector\",\"dimension\":" + TestClipModels.DIMENSION
            + ",\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}";
    }

    /**
     * One shard, and each write synced before it is answered: with the translog the test framework may pick at random
     * (async), the write buffer is held until the next timed sync, and the framework waits up to 10 s for it after each test.
     */
    private void putIndex(String name, String properties) throws IOException {
        call(jsonRequest(
            "PUT",
            "/" + name,
            "{\"settings\":{\"index.knn\":true,\"number_of_shards\":1,\"number_of_replicas\":0,\"index.translog.durability\":\"request\"},"
                + "\"mappings\":{\"properties\":" + properties + "}}"
        ));
    }

    /** One photo per colour, with its CLIP vector in {@code clip}, its caption and its colour. */
    private void indexPictures() throws IOException {
        if (indexExists("pictures")) {
            return;
        }
        putIndex("pictures", "{\"clip\":" + vectorMapping() + ",\"caption\":{\"type\":\"text\"},\"colour\":{\"type\":\"keyword\"}}");
        StringBuilder bulk = new StringBuilder();
        for (String id : COLOURS.keySet()) {
            bulk.append("{\"index\":{\"_index\":\"pictures\",\"_id\":\"").append(id).append("\"}}\n");
            bulk.append("{\"clip\":").append(Arrays.toString(clipVector(COLOURS.get(id))))
                .append(",\"caption\":\"").append(CAPTIONS.get(id))
                .append("\",\"colour\":\"").append(id).append("\"}\n");
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    private Map<String, Object> search(String index, String query) throws IOException {
        return call(jsonRequest("POST", "/" + index + "/_search", "{\"query\":" + query + "}"));
    }

    private Map<String, Object> search(String query) throws IOException {
        indexPictures();
        return search("pictures", query);
    }

    private static List<Map<?, ?>> hits(Map<String, Object> response) {
        List<Map<?, ?>> hits = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            hits.add((Map<?, ?>) hit);
        }
        return hits;
    }

    private static List<String> ids(Map<String, Object> response) {
        return hits(response).stream().map(hit -> hit.get("_id").toString()).toList();
    }

    private static float maxScore(Map<String, Object> response) {
        return ((Number) ((Map<?, ?>) response.get("hits")).get("max_score")).floatValue();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private Map<?, ?> searchError(String query, int status) throws IOException {
        indexPictures();
        return expectError(jsonRequest("POST", "/pictures/_search", "{\"query\":" + query + "}"), status);
    }

    private static void assertMentions(Object error, String... parts) {
        for (String part : parts) {
            assertTrue("[" + error + "] should mention [" + part + "]", error.toString().contains(part));
        }
    }

    public void testTextFindsThePhotoOfThatColourFirst() throws IOException {
        // "red" is nearest the red photo, then the purple one (part red), and far from blue and green
        assertEquals(List.of("red", "purple", "blue", "green"), ids(search("{\"clip_match\":{\"text\":\"red\"}}")));
        assertEquals("green", ids(search("{\"clip_match\":{\"text\":\"a photo of something green\"}}")).get(0));
        assertEquals("blue", ids(search("{\"clip_match\":{\"text\":\"the colour blue\",\"field\":\"clip\"}}")).get(0));
    }

    public void testImageFindsTheSameColourFirst() throws IOException {
        Map<String, Object> response = search("{\"clip_match\":{\"image\":\"" + base64(png(Color.RED, 48)) + "\"}}");
        assertEquals("red", ids(response).get(0));
        // a red photo of another size has the very vector of the indexed red photo: cosine 1, k-NN score (1 + 1) / 2
        assertEquals(1.0f, maxScore(response), 1e-4f);
    }

    public void testVectorSearchesAsIs() throws IOException {
        Map<String, Object> response = search("{\"clip_match\":{\"vector\":" + Arrays.toString(clipVector(Color.BLUE)) + "}}");
        assertEquals("blue", ids(response).get(0));
        assertEquals(1.0f, maxScore(response), 1e-4f);
    }

    public void testFilterAppliesDuringTheSearch() throws IOException {
        // with k = 1 a filter applied after the search would leave nothing; applied during it, the nearest other photo
        Map<String, Object> response = search(
            "{\"clip_match\":{\"text\":\"red\",\"k\":1,\"filter\":{\"bool\":{\"must_not\":{\"term\":{\"colour\":\"red\"}}}}}}"
        );
        assertEquals(List.of("purple"), ids(response));
    }

    public void testKIsTheNumberOfNearestPhotos() throws IOException {
        assertEquals(List.of("red", "purple"), ids(search("{\"clip_match\":{\"text\":\"red\",\"k\":2}}")));
        assertEquals(List.of("red"), ids(search("{\"clip_match\":{\"text\":\"red\",\"k\":1}}")));
        // a wider graph search (the lucene engine searches max(k, ef_search) neighbours) still answers k photos
        assertEquals(List.of("red", "purple"), ids(search("{\"clip_match\":{\"text\":\"red\",\"k\":2,\"ef_search\":100}}")));
    }

    public void testAFilterThatNeedsTheCoordinatingNodeIsResolved() throws IOException {
        // the filter's text is embedded too: its 2 photos nearest to "red" are red and purple, and of these purple is nearer to blue
        Map<String, Object> response = search(
            "{\"clip_match\":{\"vector\":" + Arrays.toString(clipVector(Color.BLUE)) + ",\"k\":1,"
                + "\"filter\":{\"clip_match\":{\"text\":\"red\",\"k\":2}}}}"
        );
        assertEquals(List.of("purple"), ids(response));
    }

    public void testMinSimilarityDropsDissimilarPhotos() throws IOException {
        assertEquals(List.of("red", "purple"), ids(search("{\"clip_match\":{\"text\":\"red\",\"min_similarity\":0}}")));
        assertEquals(List.of("red"), ids(search("{\"clip_match\":{\"text\":\"red\",\"min_similarity\":0.4}}")));
        String redPhoto = base64(png(Color.RED, 16));
        assertEquals(List.of("red"), ids(search("{\"clip_match\":{\"image\":\"" + redPhoto + "\",\"min_similarity\":0.9}}")));
        assertEquals(List.of(), ids(search("{\"clip_match\":{\"text\":\"red\",\"min_similarity\":0.99}}")));
    }

    public void testCombinesWithATextQuery() throws IOException {
        // every beach caption scores the same for "beach": the colour decides their order, and the hills are out
        Map<String, Object> response = search(
            "{\"bool\":{\"must\":{\"match\":{\"caption\":\"beach\"}},\"should\":{\"clip_match\":{\"text\":\"red\"}}}}"
        );
        assertEquals(List.of("red", "purple", "blue"), ids(response));
    }

    public void testBoostAndName() throws IOException {
        float plain = maxScore(search("{\"clip_match\":{\"text\":\"red\"}}"));
        Map<String, Object> named = search("{\"clip_match\":{\"text\":\"red\",\"boost\":2,\"_name\":\"by_colour\"}}");
        assertEquals(2 * plain, maxScore(named), 1e-4f);
        for (Map<?, ?> hit : hits(named)) {
            assertEquals(hit.toString(), List.of("by_colour"), hit.get("matched_queries"));
        }
    }

    public void testFieldInsideNestedObjectsScoresEachPhotoByItsBestObject() throws IOException {
        putIndex("people", "{\"faces\":{\"type\":\"nested\",\"properties\":{\"clip\":" + vectorMapping() + ",\"colour\":{\"type\":\"keyword\"}}}}");
        Map<String, List<String>> faces = new LinkedHashMap<>();
        faces.put("two", List.of("blue", "red"));
        faces.put("one", List.of("green"));
        StringBuilder bulk = new StringBuilder();
        for (Map.Entry<String, List<String>> photo : faces.entrySet()) {
            List<String> objects = new ArrayList<>();
            for (String colour : photo.getValue()) {
                objects.add("{\"clip\":" + Arrays.toString(clipVector(COLOURS.get(colour))) + ",\"colour\":\"" + colour + "\"}");
            }
            bulk.append("{\"index\":{\"_index\":\"people\",\"_id\":\"").append(photo.getKey()).append("\"}}\n");
            bulk.append("{\"faces\":").append(objects).append("}\n");
        }
        Map<String, Object> indexed = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(indexed.toString(), false, indexed.get("errors"));

        Map<String, Object> response = search("people", "{\"clip_match\":{\"text\":\"red\",\"field\":\"faces.clip\"}}");
        assertEquals(List.of("two", "one"), ids(response));
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) hits(response).get(0).get("inner_hits")).get("clip_match");
        Map<?, ?> best = (Map<?, ?>) ((List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits")).get(0);
        assertEquals("the red face is the second of the photo", 1, ((Map<?, ?>) best.get("_nested")).get("offset"));
        Map<?, ?> source = (Map<?, ?>) best.get("_source");
        assertEquals("red", source.get("colour"));
        assertNull("vectors are not returned", source.get("clip"));

        Map<String, Object> named = search("people", "{\"clip_match\":{\"text\":\"green\",\"field\":\"faces.clip\",\"_name\":\"greens\"}}");
        assertEquals("one", ids(named).get(0));
        assertNotNull("inner hits take the query's name", ((Map<?, ?>) hits(named).get(0).get("inner_hits")).get("greens"));
    }

    public void testBadQueriesAreClearErrors() throws IOException {
        assertMentions(
            searchError("{\"clip_match\":{\"vector\":[1,0,0]}}", 400),
            "[clip_match] the query vector has 3 dimensions but [clip] of index [pictures] has 8"
        );
        assertMentions(searchError("{\"clip_match\":{\"image\":\"not base64!\"}}", 400), "[clip_match] [image] is not valid base64");
        String notAPhoto = base64("hello, this is text".getBytes(StandardCharsets.UTF_8));
        assertMentions(searchError("{\"clip_match\":{\"image\":\"" + notAPhoto + "\"}}", 400), "[clip_match] [image]: ");
        assertMentions(searchError("{\"clip_match\":{\"text\":\" \"}}", 400), "[clip_match] [text] must not be empty");
        assertMentions(
            searchError("{\"clip_match\":{\"text\":\"red\",\"field\":\"caption\"}}", 400),
            "[clip_match] [field] [caption] is mapped as [text] in index [pictures], not as a knn_vector"
        );
        assertMentions(
            searchError("{\"clip_match\":{\"text\":\"red\",\"field\":\"nothing\"}}", 400),
            "[clip_match] [field] [nothing] is not mapped in index [pictures]"
        );
        assertMentions(searchError("{\"clip_match\":{\"text\":\"red\",\"k\":0}}", 400), "[clip_match] [k] must be between 1 and 10000");
    }
}
