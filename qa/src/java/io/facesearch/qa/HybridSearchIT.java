package io.facesearch.qa;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * CLIP and hybrid search on the real node, which runs with the small generated CLIP test models (their image vector
 * follows a photo's mean colour and their text vectors know the words red, green and blue): one request that asks for
 * a person (face), a look (CLIP text) and a caption (BM25), weighted with boosts.
 */
public class HybridSearchIT extends FaceSearchRestTestCase {
    private static final String INDEX = "hybrid_it";
    private static final String KIDMAN = "people/Nicole_Kidman/Nicole_Kidman_000";
    private static final String WOODS = "people/Tiger_Woods/Tiger_Woods_000";

    /** id, photo, tint, caption. */
    private static final String[][] PHOTOS = {
        { "kidman_blue_wedding", KIDMAN + "1.jpg", "blue", "wedding on the beach" },
        { "kidman_red_wedding", KIDMAN + "2.jpg", "red", "wedding party in the garden" },
        { "kidman_blue_press", KIDMAN + "3.jpg", "blue", "press conference" },
        { "woods_blue_wedding", WOODS + "1.jpg", "blue", "wedding on the beach" },
        { "woods_red_golf", WOODS + "2.jpg", "red", "golf tournament" } };

    private static boolean indexed;

    private void indexPhotos() throws IOException {
        if (indexed) {
            return;
        }
        call("DELETE", "/" + INDEX, null);
        Map<String, Object> created = callOk("PUT", "/_plugins/_face/index/" + INDEX, null).body();
        assertEquals(created.toString(), "clip", created.get("clip_field"));
        StringBuilder bulk = new StringBuilder();
        for (String[] photo : PHOTOS) {
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"").append(photo[0]).append("\"}}\n");
            bulk.append("{\"image\":\"").append(tinted(photo[1], photo[2])).append("\",\"caption\":").append(jsonString(photo[3])).append("}\n");
        }
        Answer answer = callOk("POST", "/_bulk", bulk.toString(), "refresh", "true");
        assertEquals(abbreviate(answer.body()), Boolean.FALSE, answer.body().get("errors"));
        indexed = true;
    }

    /** The photo with its colours pulled half-way to a strong tint, as PNG in base64: still a face, now a colour. */
    private static String tinted(String photo, String tint) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(facesDir().resolve(photo))));
        int target = switch (tint) {
            case "red" -> 0xE01010;
            case "green" -> 0x10E010;
            case "blue" -> 0x1010E0;
            default -> throw new IllegalArgumentException(tint);
        };
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int mixed = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int value = (((rgb >> shift) & 0xFF) + ((target >> shift) & 0xFF)) / 2;
                    mixed |= value << shift;
                }
                image.setRGB(x, y, mixed);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private List<String> search(String query) throws IOException {
        Answer answer = callOk("POST", "/" + INDEX + "/_search", "{\"size\":10,\"_source\":false,\"query\":" + query + "}");
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> hit : asListOfMaps(asMap(answer.body().get("hits")).get("hits"))) {
            ids.add(String.valueOf(hit.get("_id")));
        }
        return ids;
    }

    private static String faceOfKidman() throws IOException {
        return "{\"face_match\":{\"image\":\"" + base64Photo(KIDMAN + "4.jpg") + "\",\"min_similarity\":0.3}}";
    }

    public void testEveryPhotoHasItsClipVector() throws IOException {
        indexPhotos();
        for (String[] photo : PHOTOS) {
            Map<String, Object> source = asMap(callOk("GET", "/" + INDEX + "/_doc/" + photo[0], null, "_source", "true").body().get("_source"));
            List<?> clip = (List<?>) source.get("clip");
            assertNotNull(photo[0] + " has no clip vector: " + abbreviate(source), clip);
            assertEquals(1.0, l2Norm(clip), 1e-3);
            // the subject's face; the strong tint can make the detector also see a face cut by the photo's edge
            assertThat(photo[0], asInt(asMap(source.get("photo")).get("face_count")), greaterThanOrEqualTo(1));
        }
    }

    public void testTextFindsPhotosByLook() throws IOException {
        indexPhotos();
        List<String> blue = search("{\"clip_match\":{\"text\":\"a blue photo\",\"k\":3}}");
        assertEquals(blue.toString(), 3, blue.size());
        for (String id : blue) {
            assertTrue("blue photos first: " + blue, id.contains("_blue_"));
        }
        List<String> red = search("{\"clip_match\":{\"text\":\"red\",\"k\":2}}");
        assertEquals(red.toString(), List.of("kidman_red_wedding", "woods_red_golf").stream().sorted().toList(), red.stream().sorted().toList());
    }

    public void testFaceLookAndCaptionInOneQuery() throws IOException {
        indexPhotos();
        // the person alone: her three photos, not his
        List<String> person = search(faceOfKidman());
        assertEquals(person.toString(), List.of("kidman_blue_press", "kidman_blue_wedding", "kidman_red_wedding"), person.stream().sorted().toList());

        // person (must) + look (should, CLIP) + caption (should, BM25): the one photo matching all three comes first
        String hybrid = "{\"bool\":{\"must\":["
            + faceOfKidman()
            + "],\"should\":[{\"clip_match\":{\"text\":\"blue\",\"k\":5,\"boost\":1.0}},{\"match\":{\"caption\":{\"query\":\"wedding\",\"boost\":0.2}}}]}}";
        List<String> ranked = search(hybrid);
        assertEquals(ranked.toString(), "kidman_blue_wedding", ranked.get(0));
        assertTrue("only her photos: " + ranked, ranked.stream().allMatch(id -> id.startsWith("kidman_")));

        // weighting: with the caption clause dominant, "press conference" beats the blue wedding photo
        String captionFirst = "{\"bool\":{\"must\":["
            + faceOfKidman()
            + "],\"should\":[{\"clip_match\":{\"text\":\"red\",\"k\":5,\"boost\":0.1}},{\"match\":{\"caption\":{\"query\":\"conference\",\"boost\":5}}}]}}";
        assertEquals("kidman_blue_press", search(captionFirst).get(0));

        // and with the look dominant, the red photo wins
        String lookFirst = "{\"bool\":{\"must\":["
            + faceOfKidman()
            + "],\"should\":[{\"clip_match\":{\"text\":\"red\",\"k\":5,\"boost\":5}},{\"match\":{\"caption\":{\"query\":\"conference\",\"boost\":0.1}}}]}}";
        assertEquals("kidman_red_wedding", search(lookFirst).get(0));
    }

    public void testClipQueryErrorsAreClear() throws IOException {
        indexPhotos();
        Answer wrongDimension = call("POST", "/" + INDEX + "/_search", "{\"query\":{\"clip_match\":{\"vector\":[1,0,0]}}}");
        assertEquals(abbreviate(wrongDimension.body()), 400, wrongDimension.status());
        Answer noInput = call("POST", "/" + INDEX + "/_search", "{\"query\":{\"clip_match\":{\"k\":3}}}");
        assertEquals(abbreviate(noInput.body()), 400, noInput.status());
        assertHealthy("after bad CLIP queries");
    }
}
