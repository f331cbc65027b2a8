package io.facesearch.qa.bench;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** File listing and {@code _bulk} bodies of the ingest benchmark. */
public class IngestCorpusTests {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void listsEveryPhotoRecursivelySortedAndSkipsSideFiles() throws IOException {
        Path dir = tmp.newFolder("faces").toPath();
        for (String name : List.of(
            "b/z.jpg", "b/a.PNG", "a.jpg", "odd/zero_bytes.jpg", "odd/no_extension", "pairs.txt", "README.md",
            "ids.TSV", "x.json", "b/boxes.csv", ".hidden.jpg", ".git/x.jpg", "c/d/e.webp"
        )) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        }
        Files.createDirectories(dir.resolve("empty_folder.jpg"));
        List<IngestCorpus.PhotoFile> photos = IngestCorpus.list(dir, 0);
        assertEquals(
            List.of("a.jpg", "b/a.PNG", "b/z.jpg", "c/d/e.webp", "odd/no_extension", "odd/zero_bytes.jpg"),
            photos.stream().map(IngestCorpus.PhotoFile::path).toList()
        );
        assertEquals(dir.resolve("c/d/e.webp"), photos.get(3).file());
        assertEquals(List.of("a.jpg", "b/a.PNG"), IngestCorpus.list(dir, 2).stream().map(IngestCorpus.PhotoFile::path).toList());
        assertEquals(6, IngestCorpus.list(dir, 100).size());
    }

    @Test
    public void aMissingFolderIsAClearError() {
        try {
            IngestCorpus.list(tmp.getRoot().toPath().resolve("nope"), 0);
            fail("expected a BenchException");
        } catch (BenchException | IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("is not a folder"));
        }
    }

    @Test
    public void photoPaths() {
        assertTrue(IngestCorpus.isPhotoPath("people/A_B/A_B_0001.jpg"));
        assertTrue(IngestCorpus.isPhotoPath("odd/image.ppm"));
        assertTrue(IngestCorpus.isPhotoPath("Makefile"));
        assertFalse(IngestCorpus.isPhotoPath("group/face_boxes.tsv"));
        assertFalse(IngestCorpus.isPhotoPath("notes.Md"));
        assertFalse(IngestCorpus.isPhotoPath("a/.cache/x.jpg"));
    }

    @Test
    public void bulkBodiesSplitThePhotosAndRoundTrip() throws IOException {
        List<String> paths = List.of("a.jpg", "dir/say \"hi\"\\.png", "c.gif", "d\tü.jpg", "e.jpg");
        List<byte[]> photos = List.of(bytes(1, 2, 3), bytes(), bytes(-1, 0, 127, 5), bytes(9), bytes(8, 8));
        List<IngestCorpus.Bulk> bulks = IngestCorpus.bulks(paths, photos, 2);
        assertEquals(3, bulks.size());
        int expectedFirst = 0;
        for (IngestCorpus.Bulk bulk : bulks) {
            assertEquals(expectedFirst, bulk.first());
            assertEquals(Math.min(2, paths.size() - bulk.first()), bulk.count());
            String body = new String(bulk.body(), StandardCharsets.UTF_8);
            assertTrue("NDJSON ends with a newline", body.endsWith("\n"));
            String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
            assertEquals(2 * bulk.count(), lines.length);
            for (int i = 0; i < bulk.count(); i++) {
                int photo = bulk.first() + i;
                Map<String, Object> action = parse(lines[2 * i]);
                assertEquals(Map.of("index", Map.of("_id", paths.get(photo))), action);
                Map<String, Object> doc = parse(lines[2 * i + 1]);
                assertEquals(paths.get(photo), doc.get("path"));
                assertArrayEquals(photos.get(photo), Base64.getDecoder().decode((String) doc.get("image")));
            }
            expectedFirst += bulk.count();
        }
        assertEquals(paths.size(), expectedFirst);
        assertEquals(1, IngestCorpus.bulks(paths, photos, 50).size());
        assertEquals(5, IngestCorpus.bulks(paths, photos, 1).size());
        assertEquals(0, IngestCorpus.bulks(List.of(), List.of(), 3).size());
    }

    @Test
    public void jsonStrings() {
        assertEquals("\"plain\"", IngestCorpus.jsonString("plain"));
        assertEquals("\"q\\\"b\\\\n\\nt\\tc\\u0001\"", IngestCorpus.jsonString("q\"b\\n\nt\tc\u0001"));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static Map<String, Object> parse(String json) throws IOException {
        try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true);
        }
    }
}
