package io.facesearch.vision.model;

import io.facesearch.vision.TestModels;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * Manifest file names stay inside the models folder: everything else is refused before a byte of it is read, and the
 * error names the file as the manifest writes it, never where it leads nor a checksum of it.
 */
public class ModelFileTests {
    private static final String YUNET = "face-detection/face_detection_yunet_2023mar.onnx";
    private static final String YUNET_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4";
    private static final Pattern ANY_SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static Path root;
    private static Path modelsDir;
    private static Path outside;
    private static String secretSha256;

    /** {@code root/models} holds a copy of YuNet; {@code root/outside/secret.onnx} is a file the manifest must not reach. */
    @BeforeClass
    public static void makeFolders() throws IOException {
        root = Files.createTempDirectory("model-file-tests");
        modelsDir = Files.createDirectories(root.resolve("models"));
        Files.createDirectories(modelsDir.resolve("face-detection"));
        Files.copy(TestModels.modelsDir().resolve(YUNET), modelsDir.resolve(YUNET));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.onnx"), "not for the API\n", StandardCharsets.UTF_8);
        secretSha256 = ModelFile.sha256(outside.resolve("secret.onnx"));
    }

    @AfterClass
    public static void deleteFolders() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Asserts the refusal of {@code file} and that the error gives nothing of what lies behind it away. */
    private static String refused(String file, long maxBytes) {
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ModelFile.verified("hostile", modelsDir, file, secretSha256, maxBytes)
        );
        String message = e.getMessage();
        assertTrue(message, message.startsWith("model [hostile]: file [" + file + "] is refused: "));
        assertFalse("no checksum is computed or shown: " + message, ANY_SHA256.matcher(message).find());
        assertFalse("the folder outside is not named: " + message, message.contains(outside.toString()));
        assertFalse("the real path is not named: " + message, message.contains(root.toString()));
        return message;
    }

    private static String refused(String file) {
        return refused(file, ModelFile.MAX_BYTES);
    }

    @Test
    public void aFileInsideTheFolderIsVerifiedAndItsRealPathReturned() throws IOException {
        Path path = ModelFile.verified("yunet", modelsDir, YUNET, YUNET_SHA256);
        assertEquals(modelsDir.toRealPath().resolve(YUNET), path);
    }

    @Test
    public void dotDotSegmentsAreRefused() {
        assertEquals(
            "model [hostile]: file [../outside/secret.onnx] is refused: a [..] segment; the manifest names files inside the models folder",
            refused("../outside/secret.onnx")
        );
        refused("../../../../etc/passwd");
        // even when the name would come back inside
        refused("face-detection/../" + YUNET);
    }

    /** Reading {@code /dev/zero} never ends: a regression fails at the timeout. */
    @Test(timeout = 20_000)
    public void absolutePathsAreRefused() {
        assertEquals(
            "model [hostile]: file [/dev/zero] is refused: an absolute path; the manifest names files relative to the models folder",
            refused("/dev/zero")
        );
        refused("/etc/passwd");
        // even one that points into the folder
        String inside = modelsDir.resolve(YUNET).toString();
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ModelFile.verified("hostile", modelsDir, inside, YUNET_SHA256)
        );
        assertEquals("model [hostile]: file [" + inside + "] is refused: an absolute path; the manifest names files relative to the models folder", e.getMessage());
    }

    @Test
    public void aSymbolicLinkLeadingOutIsRefused() throws IOException {
        Files.createSymbolicLink(modelsDir.resolve("linked-secret.onnx"), outside.resolve("secret.onnx"));
        assertEquals(
            "model [hostile]: file [linked-secret.onnx] is refused: it leads outside the models folder through a symbolic link",
            refused("linked-secret.onnx")
        );
        Files.createSymbolicLink(modelsDir.resolve("linked-folder"), outside);
        refused("linked-folder/secret.onnx");
        Files.createSymbolicLink(modelsDir.resolve("zero.onnx"), Path.of("/dev/zero"));
        assertTrue(refused("zero.onnx").endsWith("it leads outside the models folder through a symbolic link"));
    }

    @Test
    public void symbolicLinksInsideTheFolderAndToTheFolderAreFollowed() throws IOException {
        Files.createSymbolicLink(modelsDir.resolve("detector.onnx"), modelsDir.resolve(YUNET));
        assertEquals(modelsDir.toRealPath().resolve(YUNET), ModelFile.verified("yunet", modelsDir, "detector.onnx", YUNET_SHA256));
        // the models folder itself may be a link (an operator's config folder pointing at a shared disk)
        Path folderLink = Files.createSymbolicLink(root.resolve("models-link"), modelsDir);
        assertEquals(modelsDir.toRealPath().resolve(YUNET), ModelFile.verified("yunet", folderLink, YUNET, YUNET_SHA256));
    }

    @Test
    public void aDirectoryIsRefused() {
        assertEquals("model [hostile]: file [face-detection] is refused: a directory, not a regular file", refused("face-detection"));
        refused(".");
    }

    @Test(timeout = 20_000)
    public void aPipeIsRefusedWithoutOpeningIt() throws IOException, InterruptedException {
        Path pipe = modelsDir.resolve("pipe.onnx");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertEquals("mkfifo", 0, mkfifo.waitFor());
        // opening a pipe that nobody writes to would block until the timeout
        assertEquals("model [hostile]: file [pipe.onnx] is refused: a device, pipe or socket, not a regular file", refused("pipe.onnx"));
    }

    @Test
    public void aFileAboveTheSizeLimitIsRefused() {
        assertEquals(
            "model [hostile]: file [" + YUNET + "] is refused: 232589 bytes, larger than the limit of 1000 bytes",
            refused(YUNET, 1000)
        );
        ModelFile.verified("yunet", modelsDir, YUNET, YUNET_SHA256, 232589);
    }

    @Test(timeout = 20_000)
    public void theDefaultLimitIsCheckedBeforeReading() throws IOException {
        Path large = modelsDir.resolve("large.onnx");
        // sparse: takes no disk, but hashing its 4 GiB of zeros would take far longer than the timeout
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(ModelFile.MAX_BYTES + 1);
        }
        try {
            assertEquals(
                "model [hostile]: file [large.onnx] is refused: 4294967297 bytes, larger than the limit of 4294967296 bytes",
                refused("large.onnx")
            );
        } finally {
            Files.delete(large);
        }
    }

    @Test
    public void aMissingFileIsNamedAsTheManifestWritesIt() {
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ModelFile.verified("absent", modelsDir, "face-detection/nothing.onnx", YUNET_SHA256)
        );
        assertEquals(
            "model [absent]: file [face-detection/nothing.onnx] does not exist (check face_search.models.path, or run models/fetch)",
            e.getMessage()
        );
        e = assertThrows(ModelUnavailableException.class, () -> ModelFile.verified("absent", root.resolve("no-folder"), YUNET, YUNET_SHA256));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model [absent]: file [" + YUNET + "] does not exist"));
    }

    @Test
    public void aDifferentFileInsideTheFolderShowsItsChecksum() {
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ModelFile.verified("swapped", modelsDir, YUNET, "0".repeat(64))
        );
        assertEquals(
            "model [swapped]: file [" + YUNET + "] has sha256 " + YUNET_SHA256 + " but the manifest expects " + "0".repeat(64)
                + " (corrupt or different file)",
            e.getMessage()
        );
    }
}
