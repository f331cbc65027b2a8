package io.facesearch.vision.clip;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI CLIP's text tokenizer ({@code simple_tokenizer.py} with {@code clip.tokenize}): byte-level BPE
 * over a 49408-token vocabulary. Text is cleaned (see {@link ClipTextCleaner}), split into words,
 * numbers and punctuation runs, each piece's UTF-8 bytes are spelled in {@link ByteLevelAlphabet}
 * symbols, the last symbol is marked as a word end, and ranked merges join symbols into vocabulary tokens.
 *
 * <p>Immutable apart from a bounded cache of encoded pieces, so one instance serves all threads.
 */
public final class ClipTokenizer {
    public static final int CONTEXT_LENGTH = 77;

    private static final String START_OF_TEXT = "<|startoftext|>";
    private static final String END_OF_TEXT = "<|endoftext|>";
    private static final String WORD_END = "</w>";

    /**
     * CLIP's pre-tokenizer: the special tokens, English contractions, letter runs, single digits (so that
     * numbers are spelled digit by digit), and runs of anything else that is not whitespace. Python's
     * {@code regex} module, matching case-insensitively, takes U+0345 (a combining mark that case-folds to
     * a Greek letter) for neither a letter nor a non-letter, so CLIP drops it; the last class leaves it out too.
     */
    private static final Pattern PIECES = Pattern.compile(
        "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}\\u0345]+",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS
    );

    /** Enough for every word of a large query vocabulary; past it the cache starts over rather than grow. */
    private static final int CACHE_CAPACITY = 50_000;

    private final String[] tokens;
    private final int startOfText;
    private final int endOfText;
    private final int[] byteSymbolIds;
    private final int[] byteWordEndIds;
    private final BpeMergeTable merges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(String[] tokens, int startOfText, int endOfText, int[] byteSymbolIds, int[] byteWordEndIds, BpeMergeTable merges) {
        this.tokens = tokens;
        this.startOfText = startOfText;
        this.endOfText = endOfText;
        this.byteSymbolIds = byteSymbolIds;
        this.byteWordEndIds = byteWordEndIds;
        this.merges = merges;
    }

    /**
     * Loads vocab.json and merges.txt; errors name the file and the reason (IllegalArgumentException for bad content, UncheckedIOException for IO).
     *
     * @throws IllegalArgumentException when a file is malformed or the two files do not fit together
     * @throws UncheckedIOException when a file cannot be read
     */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt) {
        Map<String, Integer> vocabulary = TokenizerFiles.readVocabulary(vocabJson);
        List<TokenizerFiles.Merge> mergeLines = TokenizerFiles.readMerges(mergesTxt);
        String vocabularyLabel = TokenizerFiles.vocabularyLabel(vocabJson);

        String[] tokens = new String[vocabulary.size()];
        for (Map.Entry<String, Integer> entry : vocabulary.entrySet()) {
            int id = entry.getValue();
            if (id >= tokens.length || tokens[id] != null) {
                throw new IllegalArgumentException(
                    vocabularyLabel + ": ids must be 0.." + (tokens.length - 1) + " with each used once, but token \""
                        + entry.getKey() + "\" has id " + id
                );
            }
            tokens[id] = entry.getKey();
            // decode reads every character of a token as a byte symbol
            if (entry.getKey().chars().anyMatch(c -> ByteLevelAlphabet.byteOf((char) c) < 0)) {
                throw new IllegalArgumentException(vocabularyLabel + ": token \"" + entry.getKey() + "\" has a character outside CLIP's byte alphabet");
            }
        }

        int[] byteSymbolIds = new int[256];
        int[] byteWordEndIds = new int[256];
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteLevelAlphabet.charOf(b));
            byteSymbolIds[b] = requireToken(vocabulary, symbol, vocabularyLabel);
            byteWordEndIds[b] = requireToken(vocabulary, symbol + WORD_END, vocabularyLabel);
        }
        int startOfText = requireToken(vocabulary, START_OF_TEXT, vocabularyLabel);
        int endOfText = requireToken(vocabulary, END_OF_TEXT, vocabularyLabel);

        return new ClipTokenizer(tokens, startOfText, endOfText, byteSymbolIds, byteWordEndIds, mergeTable(mergeLines, vocabulary, mergesTxt));
    }

    private static BpeMergeTable mergeTable(List<TokenizerFiles.Merge> lines, Map<String, Integer> vocabulary, Path mergesTxt) {
        int[] first = new int[lines.size()];
        int[] second = new int[lines.size()];
        int[] merged = new int[lines.size()];
        Map<String, Integer> lineOfPair = new HashMap<>();
        for (int rank = 0; rank < lines.size(); rank++) {
            TokenizerFiles.Merge merge = lines.get(rank);
            String where = TokenizerFiles.mergesLabel(mergesTxt) + " line " + merge.line();
            Integer earlier = lineOfPair.put(merge.first() + " " + merge.second(), merge.line());
            if (earlier != null) {
                throw new IllegalArgumentException(where + ": repeats the merge of line " + earlier);
            }
            first[rank] = requireToken(vocabulary, merge.first(), where);
            second[rank] = requireToken(vocabulary, merge.second(), where);
            merged[rank] = requireToken(vocabulary, merge.first() + merge.second(), where);
        }
        return new BpeMergeTable(first, second, merged);
    }

    private static int requireToken(Map<String, Integer> vocabulary, String token, String where) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new IllegalArgumentException(where + ": token \"" + token + "\" is not in the vocabulary");
        }
        return id;
    }

    /** Token ids of the text, starting with {@code <|startoftext|>} and ending with {@code <|endoftext|>}, no padding, no truncation. */
    public int[] encode(String text) {
        return encodeUntil(text, Integer.MAX_VALUE);
    }

    /**
     * encode(text) fitted to contextLength: truncated so that the last kept id is {@code <|endoftext|>}, then padded with 0
     * (as OpenAI's {@code clip.tokenize(truncate=True)} does). Long, because that is the type of CLIP's text input tensor.
     */
    public long[] encodeToContext(String text, int contextLength) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be at least 1, got " + contextLength);
        }
        int[] ids = encodeUntil(text, contextLength);
        long[] context = new long[contextLength];
        int kept = Math.min(ids.length, contextLength);
        for (int i = 0; i < kept; i++) {
            context[i] = ids[i];
        }
        context[kept - 1] = endOfText;
        return context;
    }

    /**
     * Encodes, but stops once {@code enough} ids are known (the end-of-text id not counted): what comes
     * later would be cut off anyway, and a huge text should not cost more than its first words.
     */
    private int[] encodeUntil(String text, int enough) {
        String cleaned = ClipTextCleaner.clean(text);
        IdBuffer ids = new IdBuffer();
        ids.add(startOfText);
        Matcher matcher = PIECES.matcher(cleaned);
        while (ids.size() < enough && matcher.find()) {
            ids.addAll(encodePiece(matcher.group()));
        }
        ids.add(endOfText);
        return ids.toArray();
    }

    private int[] encodePiece(String piece) {
        // CLIP maps a literal special token in the text to that token
        if (piece.equals(START_OF_TEXT)) {
            return new int[] { startOfText };
        }
        if (piece.equals(END_OF_TEXT)) {
            return new int[] { endOfText };
        }
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length - 1; i++) {
            symbols[i] = byteSymbolIds[bytes[i] & 0xFF];
        }
        symbols[bytes.length - 1] = byteWordEndIds[bytes[bytes.length - 1] & 0xFF];
        int[] encoded = Arrays.copyOf(symbols, merges.encode(symbols, symbols.length));
        if (cache.size() >= CACHE_CAPACITY) {
            cache.clear();
        }
        cache.put(piece, encoded);
        return encoded;
    }

    /**
     * The text of the ids as CLIP's {@code decode} gives it: the bytes the tokens spell, read as UTF-8,
     * with each word end as a space; special tokens appear as their names. Bytes that are not valid UTF-8
     * become U+FFFD, by Java's rules, which for a few broken sequences write one U+FFFD where Python writes two.
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            if (id < 0 || id >= tokens.length) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (0.." + (tokens.length - 1) + ")");
            }
            symbols.append(tokens[id]);
        }
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ByteLevelAlphabet.byteOf(symbols.charAt(i));
        }
        return new String(bytes, StandardCharsets.UTF_8).replace(WORD_END, " ");
    }

    public int startOfText() {
        return startOfText;
    }

    public int endOfText() {
        return endOfText;
    }

    public int vocabularySize() {
        return tokens.length;
    }

    /** A growable int array, so encoding does not box every id. */
    private static final class IdBuffer {
        private int[] ids = new int[32];
        private int size;

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
