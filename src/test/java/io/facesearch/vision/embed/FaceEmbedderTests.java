package io.facesearch.vision.embed;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.TestModels;
import io.facesearch.vision.align.FaceAligner;
import io.facesearch.vision.clip.WrongRoleModels;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.image.TestImages;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The face embedder: runs of bounded size that give the vectors of one batch, and models of another role refused. */
public class FaceEmbedderTests {
    private static final String YUNET = "face-detection/face_detection_yunet_2023mar.onnx";
    private static final String YUNET_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4";
    private static final String MOBILEFACENET = "face-recognition/mobilefacenet_paddlex_ms1mv3_128d.onnx";
    private static final String MOBILEFACENET_SHA256 = "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743";
    /** Well within float rounding of 128 unit-vector components, far below any real difference between faces. */
    private static final float TOLERANCE = 1e-5f;

    private static FaceAnalyzer flipAveraging;

    @BeforeClass
    public static void openModels() {
        flipAveraging = FaceAnalyzer.open(TestModels.config("yunet_2023mar", true));
    }

    @AfterClass
    public static void closeModels() {
        flipAveraging.close();
    }

    /** Thirty-six portraits of 250x250 in a 6x6 grid: a group photo with more faces than one run holds. */
    private static DecodedImage groupPhoto() throws IOException {
        List<DecodedImage> portraits = new ArrayList<>();
        try (Stream<Path> people = Files.list(TestModels.facesDir().resolve("people"))) {
            for (Path person : people.sorted().toList()) {
                try (Stream<Path> photos = Files.list(person)) {
                    for (Path photo : photos.sorted().toList()) {
                        DecodedImage image = flipAveraging.decoder().decode(Files.readAllBytes(photo));
                        if (image.width() == 250 && image.height() == 250 && portraits.size() < 36) {
                            portraits.add(image);
                        }
                    }
                }
            }
        }
        assertEquals(36, portraits.size());
        return TestImages.generated(6 * 250, 6 * 250, (x, y, c) -> {
            DecodedImage tile = portraits.get((y / 250) * 6 + x / 250);
            return tile.bgr()[((y % 250) * 250 + x % 250) * 3 + c] & 0xFF;
        });
    }

    @Test
    public void aGroupPhotoIsEmbeddedInSeveralRunsWithTheVectorsOfOneBatch() throws IOException {
        FaceEmbedder embedder = flipAveraging.embedder();
        assertEquals(FaceEmbedder.MAX_INPUTS_PER_RUN, embedder.inputsPerRun());
        DecodedImage photo = groupPhoto();
        FaceAnalysis analysis = flipAveraging.analyze(photo, new DetectionOptions(0.6f, 0, 100), true);
        int faces = analysis.faces().size();
        assertTrue(faces + " faces, with their mirror images more inputs than two runs hold", 2 * faces > 2 * embedder.inputsPerRun());

        FaceAligner aligner = new FaceAligner(embedder.cropSize());
        List<byte[]> crops = new ArrayList<>();
        for (AnalyzedFace face : analysis.faces()) {
            crops.add(aligner.align(photo, face.detection().landmarks()));
        }
        float[][] oneBatch = embedder.embed(crops, 2 * faces).vectors();
        // runs of three split some faces from their mirror images
        float[][] runsOfThree = embedder.embed(crops, 3).vectors();
        for (int i = 0; i < faces; i++) {
            assertArrayEquals("face " + i, oneBatch[i], analysis.faces().get(i).embedding(), TOLERANCE);
            assertArrayEquals("face " + i, oneBatch[i], runsOfThree[i], TOLERANCE);
        }
        assertTrue("faces have vectors of their own", FaceEmbedder.cosine(oneBatch[0], oneBatch[1]) < 0.9f);
    }

    @Test
    public void aRunFitsTheThreadsKeptBuffer() {
        FaceEmbedder embedder = flipAveraging.embedder();
        assertTrue(embedder.inputsPerRun() * 3 * embedder.cropSize() * embedder.cropSize() <= OnnxModel.MAX_KEPT_INPUT_FLOATS);
    }

    /** A face embedding entry like mobilefacenet_ms1mv3's, for another file. */
    private static Map<String, Object> embedderEntry(String name, String file, String sha256, int size) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("name", name);
        entry.put("task", "face_embedding");
        entry.put("architecture", "arcface");
        entry.put("file", file);
        entry.put("sha256", sha256);
        entry.put("input", Map.of("width", size, "height", size, "channel_order", "bgr",
            "mean", List.of(127.5, 127.5, 127.5), "std", List.of(127.5, 127.5, 127.5)));
        return entry;
    }

    @Test
    public void theDetectorNamedAsEmbedderIsRefusedAndClosed() {
        ModelSpec spec = ModelSpec.fromMap(embedderEntry("yunet_as_embedder", YUNET, YUNET_SHA256, 112));
        OnnxModel model = OnnxModel.open(spec, TestModels.modelsDir());
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> new FaceEmbedder(model, true));
        assertEquals(
            "model [yunet_as_embedder]: a face embedder has one output, [batch, dimension]; this model has 12: [cls_8, cls_16, cls_32,"
                + " obj_8, obj_16, obj_32, bbox_8, bbox_16, bbox_32, kps_8, kps_16, kps_32]",
            e.getMessage()
        );
        assertThrows("the embedder closed the model it refused", IllegalStateException.class, model::close);

        // the same through the analyzer a node opens
        ModelManifest manifest = new ModelManifest(List.of(TestModels.manifest().get("yunet_2023mar", ModelTask.FACE_DETECTION), spec));
        FaceEngineConfig config = new FaceEngineConfig(
            TestModels.modelsDir(), manifest, "yunet_2023mar", "yunet_as_embedder", true, 100_000_000L, 16_000_000L,
            MemoryBudget.UNLIMITED
        );
        ModelUnavailableException again = assertThrows(ModelUnavailableException.class, () -> FaceAnalyzer.open(config));
        assertEquals(e.getMessage(), again.getMessage());
    }

    @Test
    public void anOutputOfRankThreeIsRefused() throws IOException {
        Path dir = Files.createTempDirectory("wrong-role-embedder");
        ModelSpec spec = ModelSpec.fromMap(WrongRoleModels.writeRank3Embedder(dir, "rows_embedder"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> new FaceEmbedder(OnnxModel.open(spec, dir), false));
        assertEquals(
            "model [rows_embedder]: output [rows] has shape [-1, 3, 112], the output of a face embedder is [batch, dimension] with a fixed"
                + " dimension of at least 2",
            e.getMessage()
        );
    }

    @Test
    public void anInputOfAnotherSizeThanTheManifestsIsRefused() {
        ModelSpec spec = ModelSpec.fromMap(embedderEntry("small_crops", MOBILEFACENET, MOBILEFACENET_SHA256, 96));
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> new FaceEmbedder(OnnxModel.open(spec, TestModels.modelsDir()), false)
        );
        assertEquals(
            "model [small_crops]: input [x] has shape [-1, 3, 112, 112], a face embedder as the manifest describes it takes"
                + " [batch, 3, 96, 96] (input.height, input.width)",
            e.getMessage()
        );
    }
}
