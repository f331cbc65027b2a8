package io.facesearch.vision.clip;

import io.facesearch.vision.TestModels;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ClipTokenizerTests {
    private static final int SOT = 49406;
    private static final int EOT = 49407;

    private static Path vocabFile;
    private static Path mergesFile;
    private static ClipTokenizer tokenizer;
    /** vocab.json read with OpenSearch's JSON parser, independently of the tokenizer's own reader. */
    private static Map<String, Object> vocab;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadTokenizer() throws IOException {
        Path dir = TestModels.modelsDir().resolve("clip-tokenizer");
        vocabFile = dir.resolve("vocab.json");
        mergesFile = dir.resolve("merges.txt");
        tokenizer = ClipTokenizer.load(vocabFile, mergesFile);
        try (InputStream in = Files.newInputStream(vocabFile)) {
            vocab = XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        }
    }

    /** The id vocab.json gives the token; fails the test when the token is not there. */
    private static int id(String token) {
        Object id = vocab.get(token);
        assertTrue("vocab.json has no token [" + token + "]", id instanceof Number);
        return ((Number) id).intValue();
    }

    /** {@code <|startoftext|>}, the ids of the tokens, {@code <|endoftext|>}. */
    private static int[] ids(String... tokens) {
        int[] ids = new int[tokens.length + 2];
        ids[0] = SOT;
        for (int i = 0; i < tokens.length; i++) {
            ids[i + 1] = id(tokens[i]);
        }
        ids[ids.length - 1] = EOT;
        return ids;
    }

    /** The text between the start and end markers, as decoded by the tokenizer. */
    private static String decodeBody(int[] ids) {
        return tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length - 1));
    }

    @Test
    public void loadsTheStandardVocabulary() {
        assertEquals(49408, tokenizer.vocabularySize());
        assertEquals(SOT, tokenizer.startOfText());
        assertEquals(EOT, tokenizer.endOfText());
        assertEquals(SOT, id("<|startoftext|>"));
        assertEquals(EOT, id("<|endoftext|>"));
        assertEquals(77, ClipTokenizer.CONTEXT_LENGTH);
    }

    @Test
    public void photoOfACatGivesClipsIds() {
        int[] expected = { 49406, 320, 1125, 539, 320, 2368, 49407 };
        assertArrayEquals(expected, tokenizer.encode("a photo of a cat"));
        assertArrayEquals(expected, ids("a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>"));
        assertEquals("<|startoftext|>a photo of a cat <|endoftext|>", tokenizer.decode(expected));
    }

    @Test
    public void caseAndWhitespaceDoNotChangeTheIds() {
        int[] expected = tokenizer.encode("a photo of a cat");
        assertArrayEquals(expected, tokenizer.encode("A PHOTO Of a Cat"));
        assertArrayEquals(expected, tokenizer.encode("  a\tphoto\n\nof   a cat \r\n"));
        // Unicode whitespace, which CLIP collapses, includes the no-break and ideographic spaces
        assertArrayEquals(expected, tokenizer.encode("a\u00a0photo\u3000of\u2009a\u0085cat"));
        // Python's strip() also takes the information separators, but only at the ends
        assertArrayEquals(expected, tokenizer.encode("\u001f a photo of a cat\u001c"));
    }

    @Test
    public void capitalSigmaLowersAsInPython() {
        // a word-final sigma takes the final form...
        assertArrayEquals(tokenizer.encode("\u03bf\u03b4\u03bf\u03c2"), tokenizer.encode("\u039f\u0394\u039f\u03a3"));
        assertNotEquals(Arrays.toString(tokenizer.encode("\u03bf\u03b4\u03bf\u03c3")), Arrays.toString(tokenizer.encode("\u039f\u0394\u039f\u03a3")));
        // ...but after a digit Python's rule sees no cased letter before it, where Java's word-based rule would
        assertArrayEquals(tokenizer.encode("a2\u03c3"), tokenizer.encode("A2\u03a3"));
        assertNotEquals(Arrays.toString(tokenizer.encode("a2\u03c2")), Arrays.toString(tokenizer.encode("A2\u03a3")));
    }

    @Test
    public void wordMissingFromTheVocabularyIsSplitIntoMergedPieces() {
        // No merge joins "open" and "search</w>" (there is no token "opensearch</w>"), while both halves are tokens.
        assertFalse(vocab.containsKey("opensearch</w>"));
        assertArrayEquals(ids("open", "search</w>"), tokenizer.encode("OpenSearch"));
        // The pieces in the middle of a word lack the word-end mark; only the last one carries it.
        assertFalse(vocab.containsKey("backpropagation</w>"));
        assertArrayEquals(ids("back", "propag", "ation</w>"), tokenizer.encode("backpropagation"));
        assertNotEquals(id("back"), id("back</w>"));
        assertEquals("backpropagation ", decodeBody(tokenizer.encode("backpropagation")));
    }

    @Test
    public void digitsArePiecesOfTheirOwnAndPunctuationRunsStayTogether() {
        assertArrayEquals(ids("2</w>", "0</w>", "2</w>", "4</w>"), tokenizer.encode("2024"));
        assertArrayEquals(ids("selfie</w>", "-</w>", "stick</w>", "!</w>"), tokenizer.encode("selfie-stick!"));
        assertArrayEquals(ids("wow</w>", "!!!</w>"), tokenizer.encode("wow!!!"));
        assertArrayEquals(ids("cat</w>", "?!</w>"), tokenizer.encode("cat?!"));
        assertArrayEquals(ids("r</w>", "2</w>", "d</w>", "2</w>"), tokenizer.encode("R2D2"));
    }

    @Test
    public void contractionsSplitOffAndCurlyApostrophesCountAsStraight() {
        assertArrayEquals(ids("it</w>", "'s</w>"), tokenizer.encode("it's"));
        assertArrayEquals(ids("don</w>", "'t</w>"), tokenizer.encode("don't"));
        assertArrayEquals(tokenizer.encode("don't"), tokenizer.encode("DON\u2019T"));
        assertArrayEquals(ids("\"</w>", "hi</w>", "\"</w>"), tokenizer.encode("\u201chi\u201d"));
    }

    @Test
    public void nonAsciiTextIsEncodedByItsUtf8Bytes() {
        // é is UTF-8 C3 A9: the byte alphabet spells both bytes as the Latin-1 characters themselves
        assertArrayEquals(ids("caf\u00c3\u00a9</w>"), tokenizer.encode("Café"));
        assertEquals("café ", decodeBody(tokenizer.encode("Café")));
        // a combining accent is composed first, as ftfy's NFC step does
        assertArrayEquals(tokenizer.encode("café"), tokenizer.encode("cafe\u0301"));
        // F0 9F 98 80: bytes 0x9F and 0x80 are not printable, so they take symbols from U+0100 on
        assertArrayEquals(ids("\u00f0\u0141\u013a\u0122</w>"), tokenizer.encode("\ud83d\ude00"));
        for (String text : List.of("\ud83d\ude00", "i \u2764\ufe0f my \ud83d\udc31", "\u732b\u306e\u5199\u771f", "\u00fcber sch\u00f6n", "\u0441\u043e\u0431\u0430\u043a\u0430")) {
            // every word here ends in one piece, and decoding writes each word end as a space
            assertEquals(text + " ", decodeBody(tokenizer.encode(text)));
        }
    }

    @Test
    public void htmlEntitiesAreUnescaped() {
        assertArrayEquals(tokenizer.encode("tom & jerry"), tokenizer.encode("Tom &amp; Jerry"));
        assertArrayEquals(ids("\"</w>", "hi</w>", "\"</w>"), tokenizer.encode("&quot;hi&quot;"));
        assertArrayEquals(ids("'</w>", "x</w>", "'</w>"), tokenizer.encode("&#39;x&#39;"));
        assertArrayEquals(ids("<</w>", "b</w>", "></w>"), tokenizer.encode("&lt;b&gt;"));
        assertArrayEquals(tokenizer.encode("café"), tokenizer.encode("caf&#233;"));
        assertArrayEquals(tokenizer.encode("café"), tokenizer.encode("caf&eacute;"));
        assertArrayEquals(tokenizer.encode("\ud83d\ude00"), tokenizer.encode("&#x1F600;"));
        // CLIP unescapes twice, so doubly escaped text comes out plain
        assertArrayEquals(ids("&</w>"), tokenizer.encode("&amp;amp;"));
        // not references: left as written
        assertArrayEquals(ids("at</w>", "&</w>", "t</w>"), tokenizer.encode("AT&T"));
        assertArrayEquals(ids("&</w>", "foo</w>", ";</w>"), tokenizer.encode("&foo;"));
    }

    @Test
    public void specialTokenNamesInTheTextGiveTheSpecialIds() {
        assertArrayEquals(new int[] { SOT, id("a</w>"), EOT, id("b</w>"), EOT }, tokenizer.encode("a<|endoftext|>b"));
    }

    @Test
    public void emptyTextIsJustTheMarkers() {
        assertArrayEquals(new int[] { SOT, EOT }, tokenizer.encode(""));
        assertArrayEquals(new int[] { SOT, EOT }, tokenizer.encode(" \t\n "));
        long[] context = tokenizer.encodeToContext("", ClipTokenizer.CONTEXT_LENGTH);
        assertEquals(77, context.length);
        assertEquals(SOT, context[0]);
        assertEquals(EOT, context[1]);
        for (int i = 2; i < context.length; i++) {
            assertEquals(0, context[i]);
        }
    }

    @Test
    public void encodeToContextPadsWithZeros() {
        int[] ids = tokenizer.encode("a photo of a cat");
        long[] context = tokenizer.encodeToContext("a photo of a cat", ClipTokenizer.CONTEXT_LENGTH);
        assertEquals(77, context.length);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], context[i]);
        }
        for (int i = ids.length; i < context.length; i++) {
            assertEquals("position " + i, 0, context[i]);
        }
    }

    @Test
    public void encodeToContextTruncatesSoThatTheLastIdIsEndOfText() {
        String longText = "a photo of a cat on a sofa in the sun ".repeat(40);
        int[] ids = tokenizer.encode(longText);
        assertEquals(2 + 40 * 11, ids.length);
        long[] context = tokenizer.encodeToContext(longText, ClipTokenizer.CONTEXT_LENGTH);
        assertEquals(77, context.length);
        assertEquals(SOT, context[0]);
        assertEquals(EOT, context[76]);
        for (int i = 0; i < 76; i++) {
            assertEquals("position " + i, ids[i], context[i]);
        }

        // exactly full: 75 words plus the markers are kept as they are
        long[] full = tokenizer.encodeToContext("a ".repeat(75), 77);
        assertEquals(id("a</w>"), full[75]);
        assertEquals(EOT, full[76]);
        // one word more: the 76th word gives way to the end marker
        long[] over = tokenizer.encodeToContext("a ".repeat(76), 77);
        assertEquals(id("a</w>"), over[75]);
        assertEquals(EOT, over[76]);
        assertArrayEquals(full, over);

        long[] shortContext = tokenizer.encodeToContext("a photo of a cat", 4);
        assertArrayEquals(new long[] { SOT, 320, 1125, EOT }, shortContext);
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encodeToContext("cat", 0));
    }

    @Test
    public void decodeRejectsIdsOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] { 320, 49408 }));
        assertTrue(e.getMessage(), e.getMessage().contains("token id 49408"));
    }

    @Test
    public void manyThreadsGetTheSameIdsAsOne() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add("photo " + i + " of person" + (i % 37) + " at the beach, caf\u00e9 n\u00b0" + (i * 7919));
        }
        // a tokenizer of its own, so that the expected ids come from an unshared cache
        ClipTokenizer fresh = ClipTokenizer.load(vocabFile, mergesFile);
        List<int[]> expected = new ArrayList<>();
        for (String text : texts) {
            expected.add(fresh.encode(text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 97;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            int k = (i + offset) % texts.size();
                            if (Arrays.equals(expected.get(k), tokenizer.encode(texts.get(k))) == false) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void missingFilesAreNamed() {
        Path missing = tmp.getRoot().toPath().resolve("no-vocab.json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ClipTokenizer.load(missing, mergesFile));
        assertEquals("cannot read CLIP vocabulary [" + missing + "]: no such file", e.getMessage());
        Path missingMerges = tmp.getRoot().toPath().resolve("no-merges.txt");
        e = assertThrows(UncheckedIOException.class, () -> ClipTokenizer.load(vocabFile, missingMerges));
        assertEquals("cannot read CLIP merges [" + missingMerges + "]: no such file", e.getMessage());
    }

    @Test
    public void badMergesLinesAreNamedWithTheirLine() throws IOException {
        Path merges = writeFile("merges.txt", "#version: 0.2\ni n\nth e extra\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(vocabFile, merges));
        assertEquals("CLIP merges [" + merges + "] line 3: expected two symbols separated by one space, got [th e extra]", e.getMessage());

        Path unknown = writeFile("unknown.txt", "#version: 0.2\ni n\n\u4e00 \u4e8c\n");
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(vocabFile, unknown));
        assertEquals("CLIP merges [" + unknown + "] line 3: token \"\u4e00\" is not in the vocabulary", e.getMessage());

        Path repeated = writeFile("repeated.txt", "#version: 0.2\ni n\nt h\ni n\n");
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(vocabFile, repeated));
        assertEquals("CLIP merges [" + repeated + "] line 4: repeats the merge of line 2", e.getMessage());
    }

    @Test
    public void badVocabularyIsNamedWithWhereItBreaks() throws IOException {
        Path truncated = writeFile("truncated.json", "{\n  \"a\": 0,\n  \"b\": \n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(truncated, mergesFile));
        assertEquals("CLIP vocabulary [" + truncated + "]: line 4 column 1: expected a non-negative integer id", e.getMessage());

        Path notObject = writeFile("list.json", "[\"a\", \"b\"]");
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(notObject, mergesFile));
        assertEquals("CLIP vocabulary [" + notObject + "]: line 1 column 1: expected '{'", e.getMessage());

        // the real vocabulary without its last entry, <|endoftext|>
        String text = Files.readString(vocabFile, StandardCharsets.UTF_8);
        String withoutEnd = text.replaceAll(",\\s*\"<\\|endoftext\\|>\": 49407", "");
        assertNotEquals(text, withoutEnd);
        Path noEnd = writeFile("no-end.json", withoutEnd);
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(noEnd, mergesFile));
        assertEquals("CLIP vocabulary [" + noEnd + "]: token \"<|endoftext|>\" is not in the vocabulary", e.getMessage());

        Path gap = writeFile("gap.json", text.replace("\"<|endoftext|>\": 49407", "\"<|endoftext|>\": 50000"));
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(gap, mergesFile));
        assertTrue(e.getMessage(), e.getMessage().startsWith("CLIP vocabulary [" + gap + "]: ids must be 0..49407 with each used once"));
    }

    private Path writeFile(String name, String text) throws IOException {
        Path file = tmp.getRoot().toPath().resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
