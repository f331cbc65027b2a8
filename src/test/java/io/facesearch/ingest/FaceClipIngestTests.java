package io.facesearch.ingest;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.vision.TestModels;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.clip.TestClipModels;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.model.ModelManifest;

import org.opensearch.client.Request;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The face processor writing CLIP vectors, in an in-JVM node configured with the generated test CLIP models. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceClipIngestTests extends FaceSearchIntegTestCase {
    private static Path manifest;

    /** One models folder with the test CLIP models for every node of this JVM. */
    public static synchronized Path clipManifest() {
        if (manifest == null) {
            try {
                manifest = TestClipModels.prepareModelsFolder(
                    Path.of("target/test-models-clip").toAbsolutePath(),
                    TestModels.modelsDir(),
                    Path.of("models/manifest.json")
                );
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return manifest;
    }

    @Override
    protected Path modelsDir() {
        return clipManifest().getParent();
    }

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder()
            .put("face_search.models.manifest", clipManifest().toString())
            .put("face_search.clip.image_model", TestClipModels.IMAGE_MODEL)
            .put("face_search.clip.text_model", TestClipModels.TEXT_MODEL)
            .build();
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    public void testModelsApiReportsClip() throws IOException {
        Map<?, ?> clip = (Map<?, ?>) nodeModels().get("clip");
        assertEquals(true, clip.get("enabled"));
        assertEquals(TestClipModels.DIMENSION, clip.get("dimension"));
        assertEquals(true, clip.get("text_search"));
        assertEquals(TestClipModels.IMAGE_MODEL, ((Map<?, ?>) clip.get("image_model")).get("name"));
        assertEquals(224, ((Map<?, ?>) clip.get("image_model")).get("input_width"));
        assertEquals(TestClipModels.TEXT_MODEL, ((Map<?, ?>) clip.get("text_model")).get("name"));
        assertEquals(77, ((Map<?, ?>) clip.get("text_model")).get("context_length"));
    }

    public void testPhotoIndexGetsThePhotosClipVector() throws IOException {
        Map<String, Object> created = call(new Request("PUT", "/_plugins/_face/index/clip_photos"));
        assertEquals("clip", created.get("clip_field"));
        assertEquals(TestClipModels.DIMENSION, created.get("clip_dimension"));
        Map<?, ?> mapping = properties("clip_photos");
        assertEquals("knn_vector", ((Map<?, ?>) mapping.get("clip")).get("type"));
        assertEquals(TestClipModels.DIMENSION, ((Map<?, ?>) mapping.get("clip")).get("dimension"));
        assertNull("no per-face CLIP vectors unless asked", ((Map<?, ?>) ((Map<?, ?>) mapping.get("faces")).get("properties")).get("clip"));

        index("clip_photos", "obama", "people/Barack_Obama/fr_obama.jpg");
        Map<?, ?> source = source("clip_photos", "obama");
        float[] expected;
        try (ClipEngine clip = openClip()) {
            expected = clip.embedImage(new ImageDecoder().decode(TestModels.photo("people/Barack_Obama/fr_obama.jpg")));
        }
        assertVector(expected, (List<?>) source.get("clip"));
        assertEquals(TestClipModels.IMAGE_MODEL, ((Map<?, ?>) ((Map<?, ?>) source.get("photo")).get("model")).get("clip"));
        Map<?, ?> face = (Map<?, ?>) ((List<?>) source.get("faces")).get(0);
        assertNull(face.get("clip"));
    }

    public void testFaceClipWritesOneVectorPerFace() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/clip_faces", "{\"processor\":{\"face_clip\":true}}"));
        Map<?, ?> faceProperties = (Map<?, ?>) ((Map<?, ?>) properties("clip_faces").get("faces")).get("properties");
        assertEquals("knn_vector", ((Map<?, ?>) faceProperties.get("clip")).get("type"));

        index("clip_faces", "two", "group/fr_two_people.jpg");
        Map<?, ?> source = source("clip_faces", "two");
        List<?> faces = (List<?>) source.get("faces");
        assertEquals(2, faces.size());
        DecodedImage image = new ImageDecoder().decode(TestModels.photo("group/fr_two_people.jpg"));
        try (ClipEngine clip = openClip()) {
            float[][] expected = clip.embedImages(image, List.of(box(faces.get(0)), box(faces.get(1))));
            assertVector(expected[0], (List<?>) source.get("clip"));
            assertVector(expected[1], (List<?>) ((Map<?, ?>) faces.get(0)).get("clip"));
            assertVector(expected[2], (List<?>) ((Map<?, ?>) faces.get(1)).get("clip"));
        }
    }

    public void testClipVectorsAreLeftOutOfTheSourceUnlessAsked() throws IOException {
        call(
            jsonRequest(
                "PUT",
                "/_plugins/_face/index/clip_hidden",
                "{\"processor\":{\"face_clip\":true},\"settings\":{\"face_search.exclude_source_vectors\":true}}"
            )
        );
        index("clip_hidden", "two", "group/fr_two_people.jpg");
        Map<?, ?> byDefault = (Map<?, ?>) call(new Request("GET", "/clip_hidden/_doc/two")).get("_source");
        assertNull(byDefault.get("clip"));
        for (Object face : (List<?>) byDefault.get("faces")) {
            assertNull(((Map<?, ?>) face).get("clip"));
            assertNull(((Map<?, ?>) face).get("embedding"));
            assertNotNull(((Map<?, ?>) face).get("box"));
        }
        Map<?, ?> asked = (Map<?, ?>) call(new Request("GET", "/clip_hidden/_doc/two?_source_includes=clip")).get("_source");
        assertEquals(TestClipModels.DIMENSION, ((List<?>) asked.get("clip")).size());
        Map<?, ?> whole = source("clip_hidden", "two");
        assertEquals(TestClipModels.DIMENSION, ((List<?>) ((Map<?, ?>) ((List<?>) whole.get("faces")).get(1)).get("clip")).size());
    }

    public void testBadPhotoFailsAloneWithClipOn() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/clip_bulk"));
        String bulk = "{\"index\":{\"_index\":\"clip_bulk\",\"_id\":\"good\"}}\n{\"image\":\""
            + base64("noface/skimage_coffee.png")
            + "\"}\n{\"index\":{\"_index\":\"clip_bulk\",\"_id\":\"bad\"}}\n{\"image\":\""
            + base64("odd/truncated_header_only.jpg")
            + "\"}\n";
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk));
        List<?> items = (List<?>) result.get("items");
        assertEquals(201, ((Map<?, ?>) ((Map<?, ?>) items.get(0)).get("index")).get("status"));
        assertEquals(400, ((Map<?, ?>) ((Map<?, ?>) items.get(1)).get("index")).get("status"));
        Map<?, ?> coffee = source("clip_bulk", "good");
        assertEquals("a photo without faces still gets its CLIP vector", TestClipModels.DIMENSION, ((List<?>) coffee.get("clip")).size());
    }

    public void testPipelineOptionsAreChecked() throws IOException {
        Map<?, ?> error = expectError(
            jsonRequest("PUT", "/_ingest/pipeline/bad_face_clip", "{\"processors\":[{\"face\":{\"face_clip\":true}}]}"),
            400
        );
        assertTrue(error.toString(), error.get("reason").toString().contains("needs [clip] to be true"));
        error = expectError(
            jsonRequest("PUT", "/_ingest/pipeline/bad_clip_field", "{\"processors\":[{\"face\":{\"clip\":true,\"clip_field\":\"faces\"}}]}"),
            400
        );
        assertTrue(error.toString(), error.get("reason").toString().contains("must differ"));
    }

    private void index(String index, String id, String photo) throws IOException {
        Map<String, Object> result = call(
            jsonRequest("PUT", "/" + index + "/_doc/" + id + "?refresh=true", "{\"image\":\"" + base64(photo) + "\"}")
        );
        assertEquals("created", result.get("result"));
    }

    /** The stored document with its vectors. */
    private Map<?, ?> source(String index, String id) throws IOException {
        return (Map<?, ?>) call(new Request("GET", "/" + index + "/_doc/" + id + "?_source=true")).get("_source");
    }

    private Map<?, ?> properties(String index) throws IOException {
        Map<?, ?> body = call(new Request("GET", "/" + index + "/_mapping"));
        return (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) body.get(index)).get("mappings")).get("properties");
    }

    private static ClipEngine openClip() throws IOException {
        ModelManifest models;
        try (InputStream in = Files.newInputStream(clipManifest())) {
            models = ModelManifest.fromMap(XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true));
        }
        return ClipEngine.open(clipManifest().getParent(), models, TestClipModels.IMAGE_MODEL, TestClipModels.TEXT_MODEL);
    }

    private static float[] box(Object face) {
        Map<?, ?> box = (Map<?, ?>) ((Map<?, ?>) face).get("box");
        return new float[] {
            ((Number) box.get("x")).floatValue(),
            ((Number) box.get("y")).floatValue(),
            ((Number) box.get("width")).floatValue(),
            ((Number) box.get("height")).floatValue() };
    }

    private static void assertVector(float[] expected, List<?> actual) {
        assertNotNull("vector missing", actual);
        assertEquals(expected.length, actual.size());
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            float value = ((Number) actual.get(i)).floatValue();
            assertEquals("component " + i, expected[i], value, 1e-5);
            norm += value * value;
        }
        assertEquals("unit length", 1.0, Math.sqrt(norm), 1e-4);
    }
}
