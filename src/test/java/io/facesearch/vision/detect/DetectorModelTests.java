package io.facesearch.vision.detect;

import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.TestModels;
import io.facesearch.vision.clip.WrongRoleModels;
import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Detector models are checked against the architecture and input size their manifest entry gives them. */
public class DetectorModelTests {
    private static final String YUNET = "face-detection/face_detection_yunet_2023mar.onnx";
    private static final String YUNET_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4";
    private static final String SCRFD = "insightface-noncommercial/det_500m.onnx";
    private static final String SCRFD_SHA256 = "5e4447f50245bbd7966bd6c0fa52938c61474a04ec7def48753668a9d8b4ea3a";
    private static final String MOBILEFACENET = "face-recognition/mobilefacenet_paddlex_ms1mv3_128d.onnx";
    private static final String MOBILEFACENET_SHA256 = "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743";

    private static ModelSpec detector(String name, String architecture, String file, String sha256, boolean dynamic) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("name", name);
        entry.put("task", "face_detection");
        entry.put("architecture", architecture);
        entry.put("file", file);
        entry.put("sha256", sha256);
        entry.put("input", Map.of("width", 640, "height", 640, "dynamic", dynamic, "channel_order", "bgr",
            "mean", List.of(0, 0, 0), "std", List.of(1, 1, 1)));
        return ModelSpec.fromMap(entry);
    }

    /** Opens {@code spec} as the detector of an analyzer, the way a node does, and returns the refusal. */
    private static String refusal(ModelSpec spec, Path modelsDir) {
        List<ModelSpec> specs = new ArrayList<>(TestModels.manifest().all());
        specs.add(spec);
        FaceEngineConfig config = new FaceEngineConfig(
            modelsDir, new ModelManifest(specs), spec.name(), "mobilefacenet_ms1mv3", false, 100_000_000L, 16_000_000L,
            MemoryBudget.UNLIMITED
        );
        return assertThrows(ModelUnavailableException.class, () -> FaceAnalyzer.open(config)).getMessage();
    }

    @Test
    public void everyManifestDetectorPassesTheChecks() {
        for (ModelSpec spec : TestModels.manifest().all()) {
            if (spec.task() != ModelTask.FACE_DETECTION) {
                continue;
            }
            OnnxModel model = OnnxModel.open(spec, TestModels.modelsDir());
            try (FaceDetector detector = spec.architecture().equals("yunet") ? new YuNetDetector(model) : new ScrfdDetector(model)) {
                assertEquals(spec.name(), detector.spec().name());
            }
        }
    }

    @Test
    public void theEmbedderNamedAsDetectorIsRefused() {
        assertEquals(
            "model [embedder_as_detector]: input [x] has shape [-1, 3, 112, 112], a face detector as the manifest describes it takes"
                + " [batch, 3, 640, 640] (input.height, input.width)",
            refusal(detector("embedder_as_detector", "yunet", MOBILEFACENET, MOBILEFACENET_SHA256, false), TestModels.modelsDir())
        );
    }

    @Test
    public void aDetectorOfTheOtherArchitectureIsRefused() {
        String scrfdAsYuNet = refusal(detector("scrfd_as_yunet", "yunet", SCRFD, SCRFD_SHA256, false), TestModels.modelsDir());
        assertTrue(scrfdAsYuNet, scrfdAsYuNet.startsWith("model [scrfd_as_yunet] is not a YuNet detector: no output [cls_8] in [443, 468,"));
        String yuNetAsScrfd = refusal(detector("yunet_as_scrfd", "scrfd", YUNET, YUNET_SHA256, false), TestModels.modelsDir());
        assertTrue(yuNetAsScrfd, yuNetAsScrfd.startsWith("model [yunet_as_scrfd] is not an SCRFD detector with landmarks: expected 9 outputs, got [cls_8,"));
    }

    @Test
    public void aFixedInputDescribedAsDynamicIsRefused() {
        assertEquals(
            "model [yunet_called_dynamic]: input [input] has shape [1, 3, 640, 640], a face detector as the manifest describes it takes"
                + " [batch, 3, height, width] with height and width left dynamic (input.dynamic is true)",
            refusal(detector("yunet_called_dynamic", "yunet", YUNET, YUNET_SHA256, true), TestModels.modelsDir())
        );
    }

    @Test
    public void outputsOfTheWrongWidthAreRefused() throws IOException {
        Path dir = Files.createTempDirectory("wrong-role-detector");
        ModelSpec wide = ModelSpec.fromMap(WrongRoleModels.writeNineOutputDetector(dir, "three_values", 1, 3));
        assertEquals(
            "model [three_values]: output [score_8] has shape [1, 3], an SCRFD detector has [1, predictions, 1] or [predictions, 1] there",
            refusal(wide, dir)
        );
        ModelSpec few = ModelSpec.fromMap(WrongRoleModels.writeNineOutputDetector(dir, "three_predictions", 3, 1));
        assertEquals(
            "model [three_predictions]: output [score_8] has 3 predictions, an SCRFD detector with a 640x640 input has 12800 at stride 8",
            refusal(few, dir)
        );
    }
}
