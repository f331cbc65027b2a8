package io.facesearch.qa;

import io.facesearch.vision.image.fuzz.DecodeBombs;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Photos that used to take a node down, sent to the real node (1 GB heap): decompression bombs of every format,
 * one by one and inside a bulk request, and several large photos at once. Each gets an answer of its own (400 for
 * a bomb, 200, or 429 when memory is busy), never a 5xx, and the node stays up with nothing left reserved.
 */
public class HostilePhotoIT extends FaceSearchRestTestCase {

    public void testEveryDecompressionBombIsAnsweredAlone() throws IOException {
        List<String> problems = new ArrayList<>();
        for (DecodeBombs.Bomb bomb : DecodeBombs.all()) {
            Answer answer = call("POST", "/_plugins/_face/detect", photoBody(bomb.bytes()));
            boolean refused = answer.status() == 400 && "invalid_image_exception".equals(answer.errorType());
            if (bomb.mustRefuse() ? refused == false : answer.status() != 200 && refused == false) {
                problems.add(bomb.name() + ": " + answer.status() + " " + abbreviate(answer.body()));
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertHealthy("after the bombs");
        assertNothingReserved();
    }

    public void testBombsInABulkRequestFailOnlyTheirOwnItems() throws IOException {
        callOk("PUT", "/_plugins/_face/index/hostile_bulk", null);
        StringBuilder bulk = new StringBuilder();
        List<DecodeBombs.Bomb> bombs = DecodeBombs.all().stream().filter(DecodeBombs.Bomb::mustRefuse).toList();
        int id = 0;
        for (DecodeBombs.Bomb bomb : bombs) {
            bulk.append("{\"index\":{\"_id\":\"bomb-").append(id++).append("\"}}\n").append(photoBody(bomb.bytes())).append('\n');
            bulk.append("{\"index\":{\"_id\":\"good-").append(id++).append("\"}}\n")
                .append("{\"image\":").append(jsonString(base64Photo("people/Barack_Obama/fr_obama.jpg"))).append("}\n");
        }
        Answer answer = callOk("POST", "/hostile_bulk/_bulk", bulk.toString(), "refresh", "true");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> item : asListOfMaps(answer.body().get("items"))) {
            Map<String, Object> index = asMap(item.get("index"));
            String itemId = String.valueOf(index.get("_id"));
            int status = asInt(index.get("status"));
            if (itemId.startsWith("bomb-") ? status != 400 : status != 201) {
                problems.add(itemId + ": " + status + " " + abbreviate(index.get("error")));
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertEquals(bombs.size(), asInt(callOk("GET", "/hostile_bulk/_count", null).body().get("count")));
        callOk("DELETE", "/hostile_bulk", null);
        assertNothingReserved();
    }

    /**
     * Four 48 MP WebPs at once, then two 100 MP progressive JPEGs at once (libjpeg-turbo holds 300 MB of coefficients
     * for each): memory that is short is answered 429 by the face_search breaker, and everything else decodes.
     */
    public void testLargePhotosAtOnceAreDecodedOrAnswered429() throws Exception {
        assertTrue("the OpenCV natives make the test photos: " + OpenCvNatives.unavailableReason(), OpenCvNatives.available());
        byte[] photo = java.nio.file.Files.readAllBytes(facesDir().resolve("people/Barack_Obama/fr_obama.jpg"));
        String webp = photoBody(enlarged(photo, 6000, 8000, ".webp", opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 70));
        String jpeg = photoBody(enlarged(photo, 10000, 10000, ".jpg", opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
        List<String> problems = new ArrayList<>();
        int decoded = 0;
        for (String[] round : new String[][] { { webp, webp, webp, webp }, { jpeg, jpeg } }) {
            ExecutorService clients = Executors.newFixedThreadPool(round.length);
            try {
                List<Future<Answer>> answers = new ArrayList<>();
                for (String body : round) {
                    answers.add(clients.submit(() -> call("POST", "/_plugins/_face/detect", body)));
                }
                for (Future<Answer> future : answers) {
                    Answer answer = future.get();
                    if (answer.status() == 200) {
                        decoded++;
                        assertEquals(abbreviate(answer.body()), 1, asInt(answer.body().get("face_count")));
                    } else if (answer.status() != 429 || "circuit_breaking_exception".equals(answer.errorType()) == false) {
                        problems.add(answer.status() + " " + abbreviate(answer.body()));
                    }
                }
            } finally {
                clients.shutdown();
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertTrue("at least one large photo of each round decodes: " + decoded, decoded >= 2);
        assertHealthy("after the large photos");
        assertNothingReserved();
    }

    private static String photoBody(byte[] bytes) {
        return "{\"image\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
    }

    /** {@code photo} resized to {@code width x height} and encoded by OpenCV with one encoder option. */
    private static byte[] enlarged(byte[] photo, int width, int height, String extension, int option, int value) {
        try (
            BytePointer encoded = new BytePointer(photo);
            Mat source = opencv_imgcodecs.imdecode(new Mat(1, photo.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, encoded), opencv_imgcodecs.IMREAD_COLOR);
            Mat large = new Mat();
            BytePointer out = new BytePointer()
        ) {
            opencv_imgproc.resize(source, large, new Size(width, height), 0, 0, opencv_imgproc.INTER_LINEAR);
            opencv_imgcodecs.imencode(extension, large, out, new IntPointer(new int[] { option, value }));
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** The face_search breaker holds nothing once every request is answered. */
    private static void assertNothingReserved() throws IOException {
        Map<String, Object> nodes = asMap(callOk("GET", "/_nodes/stats/breaker", null).body().get("nodes"));
        for (Object node : nodes.values()) {
            Map<String, Object> breaker = asMap(asMap(asMap(node).get("breakers")).get("face_search"));
            assertEquals(String.format(Locale.ROOT, "face_search breaker: %s", breaker), 0L, asLong(breaker.get("estimated_size_in_bytes")));
        }
    }
}
