package io.facesearch.vision.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models a node may load, by name, as listed in {@code models/manifest.json}. */
public final class ModelManifest {
    private final Map<String, ModelSpec> models;

    public ModelManifest(List<ModelSpec> specs) {
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        for (ModelSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("model manifest names [" + spec.name() + "] twice");
            }
        }
        this.models = Collections.unmodifiableMap(byName);
    }

    /** Builds the manifest from its parsed JSON form: {@code {"models": [ {...}, ... ]}}. */
    public static ModelManifest fromMap(Map<String, Object> json) {
        Object list = json.get("models");
        if ((list instanceof List<?>) == false) {
            throw new IllegalArgumentException("model manifest must have a [models] list");
        }
        List<?> entries = (List<?>) list;
        List<ModelSpec> specs = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) map;
                specs.add(ModelSpec.fromMap(typed));
            } else {
                throw new IllegalArgumentException("model manifest: every entry of [models] must be an object");
            }
        }
        return new ModelManifest(specs);
    }

    public List<ModelSpec> all() {
        return List.copyOf(models.values());
    }

    /** The named model, which must have the given task. */
    public ModelSpec get(String name, ModelTask task) {
        ModelSpec spec = models.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("model [" + name + "] is not in the model manifest; known models: " + models.keySet());
        }
        if (spec.task() != task) {
            throw new IllegalArgumentException("model [" + name + "] is a " + spec.task().label() + " model, not " + task.label());
        }
        return spec;
    }
}
