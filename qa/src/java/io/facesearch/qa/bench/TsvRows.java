package io.facesearch.qa.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The data rows of a tab-separated file as people write them: a leading byte-order mark, Windows line ends,
 * blank lines and {@code #} comments are tolerated and skipped.
 */
final class TsvRows {
    private TsvRows() {}

    /** One data row: its 1-based line number, the line as written (without line end) and its columns. */
    record Row(int line, String text, String[] columns) {}

    static List<Row> of(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            rows.add(new Row(i + 1, line, line.split("\t", -1)));
        }
        return rows;
    }
}
