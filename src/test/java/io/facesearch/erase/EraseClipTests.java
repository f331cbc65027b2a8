package io.facesearch.erase;

import io.facesearch.ingest.FaceClipIngestTests;
import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.vision.clip.TestClipModels;

import org.opensearch.client.Request;
import org.opensearch.common.settings.Settings;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** An erasure by a face's CLIP vector ({@code faces.clip}), on a node with the generated test CLIP models. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class EraseClipTests extends FaceSearchIntegTestCase {

    @Override
    protected Path modelsDir() {
        return FaceClipIngestTests.clipManifest().getParent();
    }

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder()
            .put("face_search.models.manifest", FaceClipIngestTests.clipManifest().toString())
            .put("face_search.clip.image_model", TestClipModels.IMAGE_MODEL)
            .put("face_search.clip.text_model", TestClipModels.TEXT_MODEL)
            .build();
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    private Map<?, ?> source(String id) throws IOException {
        return (Map<?, ?>) call(new Request("GET", "/clip_erase/_doc/" + id + "?_source=true")).get("_source");
    }

    public void testAFaceErasedByItsClipVectorTakesThePhotosClipVectorWithIt() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/clip_erase", "{\"processor\":{\"face_clip\":true}}"));
        String bulk = "{\"index\":{\"_index\":\"clip_erase\",\"_id\":\"group\"}}\n{\"image\":\"" + base64("group/fr_kit_with_rose.jpg") + "\"}\n"
            + "{\"index\":{\"_index\":\"clip_erase\",\"_id\":\"tiger\"}}\n{\"image\":\"" + base64("people/Tiger_Woods/Tiger_Woods_0001.jpg") + "\"}\n";
        Map<String, Object> indexed = call(jsonRequest("POST", "/_bulk?refresh=true", bulk));
        assertEquals(indexed.toString(), false, indexed.get("errors"));
        Map<?, ?> group = source("group");
        List<?> faces = (List<?>) group.get("faces");
        assertEquals(2, faces.size());
        assertNotNull(group.get("clip"));
        Object faceClip = ((Map<?, ?>) faces.get(0)).get("clip");
        Object otherClip = ((Map<?, ?>) faces.get(1)).get("clip");

        Map<String, Object> erased = call(
            jsonRequest("POST", "/_plugins/_face/_erase", "{\"vector\":" + faceClip + ",\"field\":\"faces.clip\",\"min_similarity\":0.9999}")
        );
        assertEquals(erased.toString(), true, erased.get("verified"));
        assertEquals(1, ((Number) erased.get("faces_removed")).intValue());
        assertEquals(Map.of("example", "vector", "field", "faces.clip", "min_similarity", 0.9999), erased.get("criteria"));
        Map<?, ?> after = source("group");
        List<?> left = (List<?>) after.get("faces");
        assertEquals(1, left.size());
        assertEquals(otherClip, ((Map<?, ?>) left.get(0)).get("clip"));
        assertNull("the photo's CLIP vector showed the face too", after.get("clip"));
        assertNotNull("another photo keeps its own", source("tiger").get("clip"));
    }
}
