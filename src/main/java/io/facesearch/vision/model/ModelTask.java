package io.facesearch.vision.model;

import java.util.Locale;

/** What a model in the manifest is for. */
public enum ModelTask {
    FACE_DETECTION,
    FACE_EMBEDDING,
    CLIP_IMAGE,
    CLIP_TEXT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelTask fromLabel(String label) {
        for (ModelTask task : values()) {
            if (task.label().equals(label)) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown model task [" + label + "]");
    }
}
