package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's models as {@code GET _plugins/_face/models} reports them: whether they loaded (or why not), which
 * detector, embedder and CLIP models, the decoders, the detection defaults and every model the manifest knows.
 */
final class ModelsReport {
    private ModelsReport() {}

    static Map<String, Object> of(FaceEngineService engine) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", engine.failure() == null ? "loaded" : "failed");
        if (engine.failure() != null) {
            report.put("error", engine.failure().getMessage());
        }
        report.put("models_path", engine.modelsDir().toString());
        report.put("jpeg_decoder", ImageDecoder.jpegDecoder());
        report.put("manifest", engine.manifestSource());
        FaceEngineConfig config = engine.config();
        if (config != null) {
            FaceAnalyzer analyzer = engine.failure() == null ? engine.analyzer() : null;
            report.put("detector", model(config.manifest().all(), config.detector(), analyzer != null));
            Map<String, Object> embedder = model(config.manifest().all(), config.embedder(), analyzer != null);
            if (analyzer != null) {
                embedder.put("dimension", analyzer.embedder().dimension());
                embedder.put("flip_average", analyzer.embedder().flipAverage());
            }
            report.put("embedder", embedder);
        }
        report.put("clip", clip(engine));
        DetectionOptions defaults = engine.detectionOptions(null, null, null);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("min_score", defaults.minScore());
        settings.put("min_face_size", defaults.minFaceSize());
        settings.put("max_faces", defaults.maxFaces());
        settings.put("verify_threshold", engine.verifyThreshold());
        settings.put("identify_threshold", engine.identifyThreshold());
        report.put("defaults", settings);
        if (engine.manifest() != null) {
            List<Object> available = new ArrayList<>();
            for (ModelSpec spec : engine.manifest().all()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", spec.name());
                entry.put("task", spec.task().label());
                entry.put("file", spec.file());
                entry.put("sha256", spec.sha256());
                available.add(entry);
            }
            report.put("available", available);
        }
        return report;
    }

    private static Map<String, Object> clip(FaceEngineService engine) {
        Map<String, Object> clip = new LinkedHashMap<>();
        clip.put("enabled", engine.clipEnabled());
        if (engine.clipEnabled()) {
            ClipEngine engineClip = engine.clip();
            clip.put("dimension", engineClip.dimension());
            clip.put("text_search", engineClip.canEmbedTexts());
            if (engineClip.imageModel() != null) {
                clip.put("image_model", model(List.of(engineClip.imageModel()), engineClip.imageModel().name(), true));
            }
            if (engineClip.textModel() != null) {
                clip.put("text_model", model(List.of(engineClip.textModel()), engineClip.textModel().name(), true));
            }
        } else {
            clip.put("reason", engine.clipFailure().getMessage());
        }
        return clip;
    }

    private static Map<String, Object> model(List<ModelSpec> specs, String name, boolean loaded) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.put("loaded", loaded);
        for (ModelSpec spec : specs) {
            if (spec.name().equals(name)) {
                model.put("task", spec.task().label());
                model.put("architecture", spec.architecture());
                model.put("file", spec.file());
                model.put("sha256", spec.sha256());
                if (spec.task() == ModelTask.CLIP_TEXT) {
                    model.put("context_length", spec.contextLength());
                } else {
                    model.put("input_width", spec.inputWidth());
                    model.put("input_height", spec.inputHeight());
                    model.put("channel_order", spec.bgr() ? "bgr" : "rgb");
                }
            }
        }
        return model;
    }
}
