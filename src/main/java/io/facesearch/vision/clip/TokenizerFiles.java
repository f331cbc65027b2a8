package io.facesearch.vision.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads CLIP's two tokenizer files. Every error names the file: bad content as an
 * {@link IllegalArgumentException}, a file that cannot be read as an {@link UncheckedIOException}.
 */
final class TokenizerFiles {
    /** One line of {@code merges.txt}: the two adjacent symbols that merge, and where the line is. */
    record Merge(String first, String second, int line) {}

    /**
     * Largest tokenizer file a manifest may name: both are read whole into memory, and CLIP's are 1 MB and 0.5 MB,
     * so this leaves room for any real vocabulary while a wrong name cannot fill the heap.
     */
    static final long MAX_BYTES = 64L << 20;

    private TokenizerFiles() {}

    /** {@code vocab.json}: token to id. */
    static Map<String, Integer> readVocabulary(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(vocabularyLabel(file) + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw cannotRead(vocabularyLabel(file), e);
        }
        try {
            return VocabularyJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(vocabularyLabel(file) + ": " + e.getMessage(), e);
        }
    }

    /** {@code merges.txt}: merges in priority order, highest first, after an optional {@code #version} line. */
    static List<Merge> readMerges(Path file) {
        List<Merge> merges = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if ((number == 1 && line.startsWith("#version")) || line.isEmpty()) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                    throw new IllegalArgumentException(
                        mergesLabel(file) + " line " + number + ": expected two symbols separated by one space, got [" + line + "]"
                    );
                }
                merges.add(new Merge(line.substring(0, space), line.substring(space + 1), number));
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(mergesLabel(file) + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw cannotRead(mergesLabel(file), e);
        }
        if (merges.isEmpty()) {
            throw new IllegalArgumentException(mergesLabel(file) + ": no merges");
        }
        return merges;
    }

    static String vocabularyLabel(Path file) {
        return "CLIP vocabulary [" + file + "]";
    }

    static String mergesLabel(Path file) {
        return "CLIP merges [" + file + "]";
    }

    private static UncheckedIOException cannotRead(String label, IOException e) {
        String reason = e instanceof NoSuchFileException ? "no such file"
            : e instanceof AccessDeniedException ? "access denied"
            : e.toString();
        return new UncheckedIOException("cannot read " + label + ": " + reason, e);
    }
}
