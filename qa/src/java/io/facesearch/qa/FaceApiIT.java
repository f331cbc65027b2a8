package io.facesearch.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * The face REST API against the real node ({@code tests.rest.cluster}): models, detect, verify, bad requests, and every
 * file of {@code <faces>/odd} (the photo folder is {@code face_search.faces.dir}, the models folder
 * {@code face_search.models.dir}). Only reads: it creates no index and leaves the cluster as it found it.
 */
public class FaceApiIT extends FaceSearchRestTestCase {

    private static final String DETECTOR = "yunet_n_dynamic";
    private static final String EMBEDDER = "mobilefacenet_ms1mv3";
    private static final String DETECTOR_FILE = "face-detection/yunet_n_dynamic.onnx";
    private static final String EMBEDDER_FILE = "face-recognition/mobilefacenet_paddlex_ms1mv3_128d.onnx";
    private static final String DETECTOR_SHA256 = "104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12";
    private static final String EMBEDDER_SHA256 = "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743";
    private static final List<String> LANDMARKS = List.of("right_eye", "left_eye", "nose", "right_mouth", "left_mouth");

    /** The photo each generated odd file was made from, and another photo of the same person. */
    private static final String TIGER_SOURCE = "people/Tiger_Woods/Tiger_Woods_0001.jpg";
    private static final String TIGER_OTHER = "people/Tiger_Woods/Tiger_Woods_0002.jpg";
    private static final String GUIDO_SOURCE = "people/Guido_van_Rossum/fr_guido_van_rossum3.jpg";
    private static final String GUIDO_OTHER = "people/Guido_van_Rossum/fr_guido_van_rossum1.jpg";
    private static final String OBAMA_SOURCE = "people/Barack_Obama/fr_obama.jpg";
    private static final String OBAMA_OTHER = "people/Barack_Obama/fr_obama1.jpg";

    /** Similarity a re-encoding of a photo must keep with the photo it was made from (grayscale measured ~0.95). */
    private static final double SAME_PICTURE_MIN_SIMILARITY = 0.85;

    // --- what each file of odd/ must give -----------------------------------------------------------------------

    private enum Kind {
        /** 200 with exactly {@code faces} faces. */
        EXACT,
        /** 200 with at least {@code faces} faces. */
        AT_LEAST,
        /** 200; the face count is recorded, not asserted. */
        ANY,
        /** One of {@link #BROKEN_ODD_FILES}: 400 invalid_image_exception with its reason, in detect and on either side of verify. */
        INVALID
    }

    /**
     * @param format    expected {@code image.format} (content, not the file name), or null
     * @param width     expected upright width, or 0
     * @param source    the photo in people/ it was made from: verify must say same person with a similarity of at least
     *                  {@link #SAME_PICTURE_MIN_SIMILARITY}; null for none
     * @param other     another photo of the same person in people/: verify must say same person; null for none
     * @param sameBoxAs the face box must lie where the detector puts it on this photo (EXIF files); null for none
     */
    private record Expect(Kind kind, int faces, String format, int width, int height, String source, String other, String sameBoxAs) {

        static Expect faces(Kind kind, int faces, String format, int width, int height) {
            return new Expect(kind, faces, format, width, height, null, null, null);
        }

        static Expect invalid() {
            return new Expect(Kind.INVALID, 0, null, 0, 0, null, null, null);
        }

        Expect person(String sourcePhoto, String otherPhoto) {
            return new Expect(kind, faces, format, width, height, sourcePhoto, otherPhoto, sameBoxAs);
        }

        Expect boxAs(String photo) {
            return new Expect(kind, faces, format, width, height, source, other, photo);
        }
    }

    private static Map<String, Expect> oddExpectations() {
        Map<String, Expect> e = new TreeMap<>();
        // Tiger_Woods_0001 (250x250 LFW crop) in every format
        for (String[] f : new String[][] {
            { "alpha.webp", "webp" },
            { "alpha_cutout.png", "png" },
            { "grayscale.jpg", "jpeg" },
            { "image.bmp", "bmp" },
            { "image.gif", "gif" },
            { "image.ppm", "pnm" },
            { "image_lzw.tif", "tiff" },
            { "palette256.png", "png" },
            { "png_data_named.jpg", "png" },   // PNG data under a .jpg name: recognised by content
            { "rgb16.png", "png" } }) {
            e.put(f[0], Expect.faces(Kind.AT_LEAST, 1, f[1], 250, 250).person(TIGER_SOURCE, TIGER_OTHER));
        }
        // fr_guido_van_rossum3 (900x750) re-encoded
        e.put("cmyk.jpg", Expect.faces(Kind.AT_LEAST, 1, "jpeg", 900, 750).person(GUIDO_SOURCE, GUIDO_OTHER));
        e.put("progressive.jpg", Expect.faces(Kind.AT_LEAST, 1, "jpeg", 900, 750).person(GUIDO_SOURCE, GUIDO_OTHER));
        e.put("lossy.webp", Expect.faces(Kind.AT_LEAST, 1, "webp", 900, 750).person(GUIDO_SOURCE, GUIDO_OTHER));
        e.put("large_6000px.jpg", Expect.faces(Kind.AT_LEAST, 1, "jpeg", 6000, 5000).person(GUIDO_SOURCE, GUIDO_OTHER));
        // EXIF orientation: upright only when the orientation is applied; exactly one face, where the original has it
        for (String f : List.of("exif_orientation3.jpg", "exif_orientation6.jpg", "exif_orientation8.jpg")) {
            e.put(f, Expect.faces(Kind.EXACT, 1, "jpeg", 900, 750).person(GUIDO_SOURCE, GUIDO_OTHER).boxAs(GUIDO_SOURCE));
        }
        // the face lies on its side / upside down in the pixels: whatever the detector makes of it
        e.put("rotated90_no_exif.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 750, 900));
        e.put("upside_down_no_exif.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 900, 750));
        // Obama
        e.put("fr_32bit_rgba.png", Expect.faces(Kind.AT_LEAST, 1, "png", 626, 1200).person("people/Barack_Obama/fr_obama2.jpg", OBAMA_OTHER));
        e.put("fr_obama-1080p.jpg", Expect.faces(Kind.AT_LEAST, 1, "jpeg", 1920, 1080).person(null, OBAMA_OTHER));
        e.put("fr_obama-240p.jpg", Expect.faces(Kind.AT_LEAST, 1, "jpeg", 427, 240).person(null, OBAMA_OTHER));
        e.put("fr_obama_partial_face.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 491, 1137));
        e.put("fr_obama_partial_face2.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 551, 1137));
        // tiny
        e.put("tiny_face_32x32.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 32, 32));
        e.put("tiny_1x1.jpg", Expect.faces(Kind.ANY, 0, "jpeg", 1, 1));
        e.put("tiny_1x1.png", Expect.faces(Kind.ANY, 0, "png", 1, 1));
        // broken
        for (String path : BROKEN_ODD_FILES.keySet()) {
            e.put(path.substring("odd/".length()), Expect.invalid());
        }
        return e;
    }

    // --- harness -----------------------------------------------------------------------------------------------

    @Override
    protected String clientSocketTimeout() {
        // a 6000x5000 photo, or a busy 2-core machine, can take longer than the default 60 s
        return "180s";
    }

    private static Answer verify(String pathA, String pathB) throws IOException {
        return call(
            "POST",
            "/_plugins/_face/verify",
            "{\"image_a\":" + jsonString(base64Photo(pathA)) + ",\"image_b\":" + jsonString(base64Photo(pathB)) + "}"
        );
    }

    private static List<Map<String, Object>> faces(Answer answer) {
        return asListOfMaps(answer.body().get("faces"));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Checks a detect answer's shape: face_count matches the list, indexes 0..n-1, largest first, scores in range,
     * 5 named landmarks, boxes mostly inside the photo.
     */
    private static void assertDetectShape(String what, Answer answer) {
        assertEquals(what + ": " + answer.body(), 200, answer.status());
        Map<String, Object> image = asMap(answer.body().get("image"));
        assertNotNull(what + ": no image in " + answer.body(), image);
        double width = asDouble(image.get("width"));
        double height = asDouble(image.get("height"));
        assertTrue(what + ": took", answer.body().get("took") instanceof Number);
        List<Map<String, Object>> faces = faces(answer);
        assertEquals(what + ": face_count vs faces", asInt(answer.body().get("face_count")), faces.size());
        double previousArea = Double.MAX_VALUE;
        for (int i = 0; i < faces.size(); i++) {
            Map<String, Object> face = faces.get(i);
            assertEquals(what + ": index of face " + i, i, asInt(face.get("index")));
            double score = asDouble(face.get("score"));
            assertTrue(what + ": score " + score, score > 0 && score <= 1.0001);
            Map<String, Object> box = asMap(face.get("box"));
            double bw = asDouble(box.get("width"));
            double bh = asDouble(box.get("height"));
            assertTrue(what + ": box " + box, bw > 0 && bh > 0);
            double cx = asDouble(box.get("x")) + bw / 2;
            double cy = asDouble(box.get("y")) + bh / 2;
            assertTrue(what + ": box centre outside the photo " + box, cx >= 0 && cx <= width && cy >= 0 && cy <= height);
            double area = bw * bh;
            assertTrue(what + ": faces not largest first: " + faces, area <= previousArea + 1e-3);
            previousArea = area;
            Map<String, Object> landmarks = asMap(face.get("landmarks"));
            assertNotNull(what + ": no landmarks", landmarks);
            for (String name : LANDMARKS) {
                List<?> point = (List<?>) landmarks.get(name);
                assertNotNull(what + ": landmark " + name + " missing in " + landmarks, point);
                assertEquals(what + ": landmark " + name, 2, point.size());
            }
        }
    }

    // --- models ------------------------------------------------------------------------------------------------

    public void testModelsAreLoaded() throws IOException {
        Map<String, Object> body = localModels();
        assertEquals("models status " + body, "loaded", body.get("status"));
        // the plugin ships libjpeg-turbo's natives for this platform: inside the node they must load
        assertTrue("jpeg_decoder " + body.get("jpeg_decoder"), String.valueOf(body.get("jpeg_decoder")).startsWith("libjpeg-turbo (OpenCV 4."));
        Map<String, Object> detector = asMap(body.get("detector"));
        Map<String, Object> embedder = asMap(body.get("embedder"));
        assertEquals(DETECTOR, detector.get("name"));
        assertEquals(EMBEDDER, embedder.get("name"));
        assertEquals(Boolean.TRUE, detector.get("loaded"));
        assertEquals(Boolean.TRUE, embedder.get("loaded"));
        assertEquals(DETECTOR_FILE, detector.get("file"));
        assertEquals(EMBEDDER_FILE, embedder.get("file"));
        assertEquals(DETECTOR_SHA256, detector.get("sha256"));
        assertEquals(EMBEDDER_SHA256, embedder.get("sha256"));
        assertEquals(EMBEDDING_DIMENSION, asInt(embedder.get("dimension")));
        assertEquals(Boolean.FALSE, embedder.get("flip_average"));
        // the test node runs with the generated CLIP test models (see the qa-clip-models step of pom.xml)
        Map<String, Object> clip = asMap(body.get("clip"));
        assertEquals("clip in " + body, Boolean.TRUE, clip.get("enabled"));
        assertEquals("clip_test_image", asMap(clip.get("image_model")).get("name"));
        assertEquals("clip_test_text", asMap(clip.get("text_model")).get("name"));
        // the files the node loaded are the files in the models folder
        String modelsDir = System.getProperty("face_search.models.dir");
        if (modelsDir != null && Files.isDirectory(Paths.get(modelsDir))) {
            assertEquals("sha256 of " + DETECTOR_FILE, sha256(Paths.get(modelsDir, DETECTOR_FILE)), detector.get("sha256"));
            assertEquals("sha256 of " + EMBEDDER_FILE, sha256(Paths.get(modelsDir, EMBEDDER_FILE)), embedder.get("sha256"));
        }
        Map<String, Object> defaults = asMap(body.get("defaults"));
        assertNotNull("defaults in " + body, defaults);
        assertEquals(0.3, asDouble(defaults.get("verify_threshold")), 1e-6);
        List<String> available = new ArrayList<>();
        for (Object o : (List<?>) body.get("available")) {
            available.add(String.valueOf(asMap(o).get("name")));
        }
        assertTrue("available models " + available, available.containsAll(List.of(DETECTOR, EMBEDDER)));
    }

    // --- detect ------------------------------------------------------------------------------------------------

    public void testDetectTwoPeople() throws IOException {
        Answer answer = detect("group/fr_two_people.jpg");
        assertDetectShape("group/fr_two_people.jpg", answer);
        assertEquals(answer.body().toString(), 2, asInt(answer.body().get("face_count")));
        Map<String, Object> image = asMap(answer.body().get("image"));
        assertEquals(1126, asInt(image.get("width")));
        assertEquals(661, asInt(image.get("height")));
        assertEquals("jpeg", image.get("format"));
        assertNull("no embeddings unless asked", faces(answer).get(0).get("embedding"));
    }

    public void testDetectSixFaces() throws IOException {
        Answer answer = detect("group/insightface_t1.jpg");
        assertDetectShape("group/insightface_t1.jpg", answer);
        assertEquals(answer.body().toString(), 6, asInt(answer.body().get("face_count")));
    }

    public void testDetectWithEmbeddingsAndOptions() throws IOException {
        String image = jsonString(base64Photo("group/insightface_t1.jpg"));
        Answer answer = call("POST", "/_plugins/_face/detect", "{\"image\":" + image + ",\"include_embeddings\":true,\"max_faces\":2}");
        assertDetectShape("insightface_t1 with embeddings", answer);
        List<Map<String, Object>> faces = faces(answer);
        assertEquals("max_faces 2: " + answer.body().get("face_count"), 2, faces.size());
        for (Map<String, Object> face : faces) {
            List<?> embedding = (List<?>) face.get("embedding");
            assertNotNull("embedding requested", embedding);
            assertEquals(EMBEDDING_DIMENSION, embedding.size());
            assertEquals("embeddings are L2-normalised", 1.0, l2Norm(embedding), 1e-3);
        }
    }

    // --- verify ------------------------------------------------------------------------------------------------

    public void testVerifySamePerson() throws IOException {
        Answer answer = verify("people/Barack_Obama/fr_obama.jpg", "people/Barack_Obama/fr_obama2.jpg");
        assertEquals(answer.body().toString(), 200, answer.status());
        Map<String, Object> body = answer.body();
        assertEquals(body.toString(), Boolean.TRUE, body.get("same_person"));
        assertThat(asDouble(body.get("similarity")), greaterThanOrEqualTo(asDouble(body.get("threshold"))));
        assertEquals(0.3, asDouble(body.get("threshold")), 1e-6);
        assertEquals(EMBEDDER, body.get("model"));
        for (String side : List.of("face_a", "face_b")) {
            Map<String, Object> face = asMap(body.get(side));
            assertEquals(side + " " + face, 0, asInt(face.get("index")));
            assertEquals(side + " " + face, 1, asInt(face.get("faces_in_image")));
            assertNotNull(side + " box", face.get("box"));
        }
    }

    public void testVerifyDifferentPeople() throws IOException {
        Answer answer = verify("people/Barack_Obama/fr_obama.jpg", "people/Kit_Harington/fr_john1.jpeg");
        assertEquals(answer.body().toString(), 200, answer.status());
        assertEquals(answer.body().toString(), Boolean.FALSE, answer.body().get("same_person"));
        assertThat(asDouble(answer.body().get("similarity")), lessThan(asDouble(answer.body().get("threshold"))));
    }

    public void testVerifyWithoutFaceIs400() throws IOException {
        Answer answer = verify("people/Barack_Obama/fr_obama.jpg", "noface/generated_uniform_gray_a.png");
        assertEquals(answer.body().toString(), 400, answer.status());
        assertEquals(answer.body().toString(), "no_face_found_exception", answer.errorType());
        assertThat(answer.errorReason(), containsString("image_b"));
    }

    // --- bad requests ------------------------------------------------------------------------------------------

    public void testBadRequestsAre400() throws IOException {
        String photo = jsonString(base64Photo("people/Barack_Obama/fr_obama_small.jpg"));
        Map<String, String[]> cases = new LinkedHashMap<>();
        // endpoint, body, expected error type (null: any), reason fragment (null: any)
        cases.put("detect, not JSON", new String[] { "/_plugins/_face/detect", "this is not json", null, null });
        cases.put("detect, JSON array", new String[] { "/_plugins/_face/detect", "[1, 2]", "illegal_argument_exception", null });
        cases.put("detect, unknown field", new String[] {
            "/_plugins/_face/detect", "{\"image\":" + photo + ",\"colour\":true}", "illegal_argument_exception", "colour" });
        cases.put("detect, missing image", new String[] { "/_plugins/_face/detect", "{\"max_faces\":3}", "illegal_argument_exception", "image" });
        cases.put("detect, bad base64", new String[] {
            "/_plugins/_face/detect", "{\"image\":\"!!!not base64!!!\"}", "illegal_argument_exception", "base64" });
        cases.put("detect, image not a string", new String[] { "/_plugins/_face/detect", "{\"image\":42}", "illegal_argument_exception", "image" });
        cases.put("detect, max_faces not a number", new String[] {
            "/_plugins/_face/detect", "{\"image\":" + photo + ",\"max_faces\":\"many\"}", "illegal_argument_exception", "max_faces" });
        cases.put("verify, not JSON", new String[] { "/_plugins/_face/verify", "{\"image_a\":", null, null });
        cases.put("verify, unknown field", new String[] {
            "/_plugins/_face/verify", "{\"image_a\":" + photo + ",\"image_b\":" + photo + ",\"imagec\":1}", "illegal_argument_exception", "imagec" });
        cases.put("verify, missing image_b", new String[] {
            "/_plugins/_face/verify", "{\"image_a\":" + photo + "}", "illegal_argument_exception", "image_b" });
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String[] v = c.getValue();
            Answer answer = call("POST", v[0], v[1]);
            String got = answer.status() + " " + answer.errorType() + " " + answer.errorReason();
            if (answer.status() != 400) {
                problems.add(c.getKey() + ": expected 400, got " + got);
            } else if (v[2] != null && v[2].equals(answer.errorType()) == false) {
                problems.add(c.getKey() + ": expected " + v[2] + ", got " + got);
            } else if (v[3] != null && (answer.errorReason() == null || answer.errorReason().contains(v[3]) == false)) {
                problems.add(c.getKey() + ": reason should name [" + v[3] + "], got " + got);
            }
        }
        assertTrue("bad requests:\n" + String.join("\n", problems), problems.isEmpty());
        // a request without a body at all
        Answer noBody = call("POST", "/_plugins/_face/detect", null);
        assertEquals(noBody.body().toString(), 400, noBody.status());
        assertHealthy("after the bad requests");
    }

    // --- odd files ---------------------------------------------------------------------------------------------

    public void testEveryOddFile() throws IOException {
        Path odd = facesDir().resolve("odd");
        List<String> files;
        try (Stream<Path> list = Files.list(odd)) {
            files = list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertFalse("no files in " + odd, files.isEmpty());
        Map<String, Expect> expectations = oddExpectations();
        List<String> table = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> referenceBoxes = new TreeMap<>();
        for (String file : files) {
            Expect expect = expectations.get(file);
            if (expect == null) {
                problems.add(file + ": no expectation in FaceApiIT.oddExpectations(): add one for this new file");
                continue;
            }
            Answer answer = detect("odd/" + file);
            String row;
            if (expect.kind() == Kind.INVALID) {
                table.add(String.format(Locale.ROOT, "%-28s %d %s: %s", file, answer.status(), answer.errorType(), answer.errorReason()));
                Answer asA = verify("odd/" + file, OBAMA_SOURCE);
                Answer asB = verify(OBAMA_SOURCE, "odd/" + file);
                for (String problem : Arrays.asList(
                    brokenFileProblem("odd/" + file, "[image]: ", answer.status(), answer.errorType(), answer.errorReason()),
                    brokenFileProblem("odd/" + file, "[image_a]: ", asA.status(), asA.errorType(), asA.errorReason()),
                    brokenFileProblem("odd/" + file, "[image_b]: ", asB.status(), asB.errorType(), asB.errorReason()))) {
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
                continue;
            }
            if (answer.status() != 200) {
                problems.add(file + ": expected 200, got " + answer.status() + " " + answer.body());
                table.add(String.format(Locale.ROOT, "%-28s %d %s: %s", file, answer.status(), answer.errorType(), answer.errorReason()));
                continue;
            }
            try {
                assertDetectShape("odd/" + file, answer);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
            int count = asInt(answer.body().get("face_count"));
            Map<String, Object> image = asMap(answer.body().get("image"));
            StringBuilder r = new StringBuilder(
                String.format(Locale.ROOT, "%-28s 200 faces=%d %sx%s %s", file, count, image.get("width"), image.get("height"), image.get("format"))
            );
            switch (expect.kind()) {
                case EXACT -> {
                    if (count != expect.faces()) {
                        problems.add(file + ": expected exactly " + expect.faces() + " face(s), got " + count);
                    }
                }
                case AT_LEAST -> {
                    if (count < expect.faces()) {
                        problems.add(file + ": expected at least " + expect.faces() + " face(s), got " + count);
                    }
                }
                default -> r.append(" (count recorded, not asserted)");
            }
            if (expect.format() != null && expect.format().equals(image.get("format")) == false) {
                problems.add(file + ": format should be " + expect.format() + ", got " + image.get("format"));
            }
            if (expect.width() > 0
                && (asInt(image.get("width")) != expect.width() || asInt(image.get("height")) != expect.height())) {
                problems.add(
                    file + ": upright size should be " + expect.width() + "x" + expect.height() + ", got " + image.get("width") + "x"
                        + image.get("height")
                );
            }
            if (expect.sameBoxAs() != null && count >= 1) {
                Map<String, Object> reference = referenceBoxes.get(expect.sameBoxAs());
                if (reference == null) {
                    Answer ref = detect(expect.sameBoxAs());
                    assertEquals(expect.sameBoxAs() + ": " + ref.body(), 200, ref.status());
                    reference = asMap(faces(ref).get(0).get("box"));
                    referenceBoxes.put(expect.sameBoxAs(), reference);
                }
                Map<String, Object> box = asMap(faces(answer).get(0).get("box"));
                double tolerance = 0.03 * expect.width();
                double dx = (asDouble(box.get("x")) + asDouble(box.get("width")) / 2) - (asDouble(reference.get("x")) + asDouble(reference.get("width")) / 2);
                double dy = (asDouble(box.get("y")) + asDouble(box.get("height")) / 2) - (asDouble(reference.get("y")) + asDouble(reference.get("height")) / 2);
                r.append(String.format(Locale.ROOT, " box-offset=(%.1f,%.1f)", dx, dy));
                if (Math.abs(dx) > tolerance || Math.abs(dy) > tolerance) {
                    problems.add(file + ": face at " + box + " but at " + reference + " in " + expect.sameBoxAs() + ": EXIF orientation not applied?");
                }
            }
            if (count >= 1 && expect.source() != null) {
                Answer v = verify("odd/" + file, expect.source());
                r.append(" vs-source=").append(v.status() == 200 ? String.format(Locale.ROOT, "%.3f", asDouble(v.body().get("similarity"))) : v.status());
                if (v.status() != 200 || Boolean.TRUE.equals(v.body().get("same_person")) == false
                    || asDouble(v.body().get("similarity")) < SAME_PICTURE_MIN_SIMILARITY) {
                    problems.add(file + ": verify against " + expect.source() + " (the photo it was made from) should be the same person with "
                        + "similarity >= " + SAME_PICTURE_MIN_SIMILARITY + ", got " + v.status() + " " + v.body());
                }
            }
            if (count >= 1 && expect.other() != null) {
                Answer v = verify("odd/" + file, expect.other());
                r.append(" vs-other=").append(v.status() == 200 ? String.format(Locale.ROOT, "%.3f", asDouble(v.body().get("similarity"))) : v.status());
                if (v.status() != 200 || Boolean.TRUE.equals(v.body().get("same_person")) == false) {
                    problems.add(file + ": verify against " + expect.other() + " should be the same person, got " + v.status() + " " + v.body());
                }
            }
            table.add(r.toString());
        }
        for (String file : expectations.keySet()) {
            if (files.contains(file) == false) {
                problems.add(file + ": expected in " + odd + " but missing");
            }
        }
        String report = "odd/ results:\n  " + String.join("\n  ", table);
        System.out.println("[FaceApiIT] " + report);
        assertTrue(String.join("\n", problems) + "\n" + report, problems.isEmpty());

        // after all that, the node is still there and still right
        assertHealthy("after every odd file");
        Answer again = detect("group/fr_two_people.jpg");
        assertEquals(again.body().toString(), 200, again.status());
        assertEquals(2, asInt(again.body().get("face_count")));
    }
}
