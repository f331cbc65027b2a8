package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A verification pairs file, tab-separated, one pair a line, in one of two layouts:
 * <ul>
 *   <li>{@code path1<TAB>path2<TAB>label}</li>
 *   <li>{@code fold<TAB>path1<TAB>path2<TAB>label}</li>
 * </ul>
 * where label is {@code 1} (same person) or {@code 0} (different people) and paths are relative to the
 * images folder (absolute paths are kept). Blank lines, lines starting with {@code #} and lines whose
 * label column is not 0/1 (a header) are skipped. All pair lines must have the same layout.
 */
public record PairsFile(Path file, boolean hasFolds, List<Pair> pairs, int skippedLines) {

    /** One pair; {@code fold} is null without a fold column. */
    public record Pair(int line, String fold, String pathA, String pathB, boolean same) {}

    public static PairsFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Pair> pairs = new ArrayList<>();
        int columns = -1;
        int skipped = 0;
        for (TsvRows.Row row : TsvRows.of(lines)) {
            String line = row.text();
            String[] parts = row.columns();
            if (parts.length != 3 && parts.length != 4) {
                throw new IllegalArgumentException(
                    file + ":" + row.line() + ": expected 3 (path1, path2, label) or 4 (fold, path1, path2, label) tab-separated columns, got "
                        + parts.length + ": [" + line + "]"
                );
            }
            String label = parts[parts.length - 1].trim();
            if (label.equals("0") == false && label.equals("1") == false) {
                skipped++;
                continue;
            }
            if (columns == -1) {
                columns = parts.length;
            } else if (columns != parts.length) {
                throw new IllegalArgumentException(
                    file + ":" + row.line() + ": has " + parts.length + " columns but earlier pairs have " + columns
                );
            }
            int first = parts.length - 3;
            String a = parts[first].trim();
            String b = parts[first + 1].trim();
            if (a.isEmpty() || b.isEmpty()) {
                throw new IllegalArgumentException(file + ":" + row.line() + ": empty path: [" + line + "]");
            }
            pairs.add(new Pair(row.line(), first == 1 ? parts[0].trim() : null, a, b, label.equals("1")));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no pairs found (expected lines path1<TAB>path2<TAB>1|0)");
        }
        return new PairsFile(file, columns == 4, List.copyOf(pairs), skipped);
    }

    /** The first {@code limit} pairs (all when {@code limit <= 0} or larger than the file). */
    public PairsFile limit(int limit) {
        if (limit <= 0 || limit >= pairs.size()) {
            return this;
        }
        return new PairsFile(file, hasFolds, pairs.subList(0, limit), skippedLines);
    }

    public int positives() {
        return (int) pairs.stream().filter(Pair::same).count();
    }

    public int negatives() {
        return pairs.size() - positives();
    }
}
