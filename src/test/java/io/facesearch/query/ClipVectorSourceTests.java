package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.threadpool.InferencePools;
import io.facesearch.vision.TestModels;
import io.facesearch.vision.clip.TestClipModels;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.MemoryBudget;

import org.opensearch.ExceptionsHelper;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.TestThreadPool;
import org.opensearch.threadpool.ThreadPool;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * The CLIP vector of a query's text or photo on nodes configured with all, some or none of the CLIP models: the
 * errors a node gives when it lacks the model a query needs, and where the embedding runs.
 */
public class ClipVectorSourceTests {
    private static Path modelsDir;
    private static ThreadPool threadPool;
    private static FaceEngineService clipOff;
    private static FaceEngineService imageOnly;

    @BeforeClass
    public static void startEngines() throws IOException {
        modelsDir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "clip-query-models");
        Path manifest = TestClipModels.prepareModelsFolder(modelsDir, TestModels.modelsDir(), Path.of("models/manifest.json"));
        threadPool = new TestThreadPool(
            "clip-vector-source",
            new FixedExecutorBuilder(Settings.EMPTY, InferencePools.SEARCH, 1, 10, "thread_pool." + InferencePools.SEARCH)
        );
        Settings models = Settings.builder()
            .put(FaceSearchSettings.MODELS_PATH.getKey(), modelsDir.toString())
            .put(FaceSearchSettings.MODELS_MANIFEST.getKey(), manifest.toString())
            .build();
        clipOff = engine(models);
        imageOnly = engine(Settings.builder().put(models).put(FaceSearchSettings.CLIP_IMAGE_MODEL.getKey(), TestClipModels.IMAGE_MODEL).build());
    }

    private static FaceEngineService engine(Settings settings) {
        ClusterSettings clusterSettings = new ClusterSettings(settings, new HashSet<>(FaceSearchSettings.all()));
        return new FaceEngineService(settings, modelsDir, clusterSettings, new InferencePools(threadPool, settings), MemoryBudget.UNLIMITED);
    }

    @AfterClass
    public static void stopEngines() throws IOException {
        for (FaceEngineService engine : new FaceEngineService[] { clipOff, imageOnly }) {
            if (engine != null) {
                engine.close();
            }
        }
        ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
        // the folder holds links to the shared models: delete the links, never what they point at
        try (Stream<Path> files = Files.walk(modelsDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static EncodedPhoto encoded(byte[] photo) {
        return new EncodedPhoto("image", Base64.getEncoder().encodeToString(photo));
    }

    private static float[] embed(FaceEngineService engine, String text, byte[] image) throws InterruptedException {
        CompletableFuture<float[]> vector = new CompletableFuture<>();
        new ClipVectorSource(() -> engine).embed(text, image == null ? null : encoded(image), ActionListener.wrap(vector::complete, vector::completeExceptionally));
        try {
            return vector.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
    }

    private static byte[] redPng() throws IOException {
        BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                image.setRGB(x, y, 0xFF0000);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void assertBadRequest(RuntimeException e, String... parts) {
        assertEquals(e.toString(), RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
        for (String part : parts) {
            assertTrue("[" + e.getMessage() + "] should mention [" + part + "]", e.getMessage().contains(part));
        }
    }

    @Test
    public void aNodeWithoutClipSaysItIsSwitchedOffAndHowToSwitchItOn() throws IOException {
        for (String text : new String[] { "red", null }) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> embed(clipOff, text, text == null ? redPng() : null));
            assertBadRequest(
                e,
                "[clip_match] CLIP is switched off on this node",
                FaceSearchSettings.CLIP_IMAGE_MODEL.getKey(),
                FaceSearchSettings.CLIP_TEXT_MODEL.getKey()
            );
        }
    }

    @Test
    public void aTextNeedsTheTextModel() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> embed(imageOnly, "red", null));
        assertBadRequest(e, "[clip_match] [text] needs a CLIP text model", FaceSearchSettings.CLIP_TEXT_MODEL.getKey());
    }

    @Test
    public void aPhotoIsEmbeddedOnTheInferencePoolByTheImageModel() throws Exception {
        byte[] photo = redPng();
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<float[]> vector = new CompletableFuture<>();
        new ClipVectorSource(() -> imageOnly).embed(null, encoded(photo), ActionListener.wrap(v -> {
            thread.set(Thread.currentThread().getName());
            vector.complete(v);
        }, vector::completeExceptionally));
        float[] expected = imageOnly.clip().embedImage(new ImageDecoder().decode(photo));
        assertArrayEquals(expected, vector.get(30, TimeUnit.SECONDS), 0);
        assertTrue(thread.get(), thread.get().contains("[" + InferencePools.SEARCH + "]"));
    }

    @Test
    public void aBrokenPhotoNamesTheImageOption() {
        byte[] notAPhoto = "hello, this is text".getBytes(StandardCharsets.UTF_8);
        RuntimeException e = assertThrows(RuntimeException.class, () -> embed(imageOnly, null, notAPhoto));
        assertBadRequest(e, "[clip_match] [image]: ");
    }
}
