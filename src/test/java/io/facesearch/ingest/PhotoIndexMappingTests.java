package io.facesearch.ingest;

import io.facesearch.index.PhotoIndexSettings;

import org.opensearch.common.settings.Settings;
import org.junit.Test;

import java.util.Map;

import static org.junit.Assert.assertEquals;

/** The mapping of photo indices. */
public class PhotoIndexMappingTests {

    @Test
    public void labelsOfPhotosAndFacesAreKeywords() {
        Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "faces", "photo", 128, null, 0, false).get("properties");
        assertEquals(Map.of("type", "keyword"), properties.get("identity"));
        Map<?, ?> face = (Map<?, ?>) ((Map<?, ?>) properties.get("faces")).get("properties");
        assertEquals(Map.of("type", "keyword"), face.get("identity"));
        // written by people clustering: persons are ids, matched exactly
        assertEquals(Map.of("type", "keyword"), face.get("person"));
        assertEquals(Map.of("type", "keyword"), face.get("not_persons"));
    }

    @Test
    public void photoIndicesSearchVectorsAndKeepThemOutOfTheSourceReturned() {
        Settings settings = PhotoIndexMapping.settings();
        assertEquals("true", settings.get("index.knn"));
        assertEquals(true, PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.get(settings));
    }

    @Test
    public void aTargetFieldNamedIdentityKeepsItsFaces() {
        Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "identity", "photo", 128, null, 0, false).get("properties");
        assertEquals("nested", ((Map<?, ?>) properties.get("identity")).get("type"));
    }
}
