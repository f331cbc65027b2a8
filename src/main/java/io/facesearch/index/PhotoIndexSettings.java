package io.facesearch.index;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;

import java.util.List;

/** Index settings of photo indices. */
public final class PhotoIndexSettings {
    /**
     * Leaves the index's knn_vector fields out of the {@code _source} of searches and GETs that do not ask for them
     * (see {@link VectorSourceFilter}). {@code PUT _plugins/_face/index} turns it on.
     */
    public static final Setting<Boolean> EXCLUDE_SOURCE_VECTORS = Setting.boolSetting(
        "index.face_search.exclude_source_vectors",
        false,
        Property.IndexScope,
        Property.Dynamic
    );

    private PhotoIndexSettings() {}

    public static List<Setting<?>> all() {
        return List.of(EXCLUDE_SOURCE_VECTORS);
    }
}
