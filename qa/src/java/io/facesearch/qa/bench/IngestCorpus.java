package io.facesearch.qa.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The photos of an ingest benchmark and the {@code _bulk} bodies that carry them: pure logic, no node.
 *
 * <p>Photos are every regular file under a folder, recursively, sorted by their path relative to it (with
 * {@code /} separators), except hidden files and folders and the data-set side files ({@code .tsv .txt .md
 * .json .csv}). Nothing is judged by content: a broken file is sent like any other, so that the node's
 * answer to it is part of the benchmark.
 */
public final class IngestCorpus {
    /** Extensions (lower case, no dot) of the files that are never photos: labels, pair lists, notes. */
    static final Set<String> SKIPPED_EXTENSIONS = Set.of("tsv", "txt", "md", "json", "csv");

    private IngestCorpus() {}

    /** One photo file: its path relative to the listed folder ({@code /} separators) and where it is. */
    record PhotoFile(String path, Path file) {}

    /** One {@code _bulk} body: photos {@code first} to {@code first + count - 1}, NDJSON, ready to send. */
    record Bulk(int first, int count, byte[] body) {}

    /** The photos under {@code dir}, sorted by relative path; at most {@code limit} of them when limit > 0. */
    static List<PhotoFile> list(Path dir, int limit) throws IOException {
        if (Files.isDirectory(dir) == false) {
            throw new BenchException(dir + " is not a folder");
        }
        List<PhotoFile> photos = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String relative = relativePath(dir, file);
                if (isPhotoPath(relative)) {
                    photos.add(new PhotoFile(relative, file));
                }
            });
        }
        photos.sort((a, b) -> a.path().compareTo(b.path()));
        return limit > 0 && photos.size() > limit ? List.copyOf(photos.subList(0, limit)) : photos;
    }

    static String relativePath(Path dir, Path file) {
        StringBuilder b = new StringBuilder();
        for (Path part : dir.relativize(file)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part.toString());
        }
        return b.toString();
    }

    /** Whether a relative path ({@code /} separators) names a photo to send: no hidden part, no side-file extension. */
    static boolean isPhotoPath(String relative) {
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.startsWith(".")) {
                return false;
            }
        }
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 || SKIPPED_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT)) == false;
    }

    /**
     * The {@code _bulk} bodies for {@code POST index/_bulk}: {@code bulkSize} documents each (the last one may
     * hold fewer), one {@code index} action per photo with its path as {@code _id}, and the document
     * {@code {"path": ..., "image": "<base64>"}}.
     */
    static List<Bulk> bulks(List<String> paths, List<byte[]> photos, int bulkSize) {
        if (paths.size() != photos.size()) {
            throw new IllegalArgumentException(paths.size() + " paths for " + photos.size() + " photos");
        }
        if (bulkSize < 1) {
            throw new IllegalArgumentException("bulk size must be at least 1, got " + bulkSize);
        }
        List<Bulk> bulks = new ArrayList<>();
        Base64.Encoder base64 = Base64.getEncoder();
        for (int first = 0; first < paths.size(); first += bulkSize) {
            int count = Math.min(bulkSize, paths.size() - first);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = first; i < first + count; i++) {
                String path = jsonString(paths.get(i));
                out.writeBytes(("{\"index\":{\"_id\":" + path + "}}\n{\"path\":" + path + ",\"image\":\"").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(base64.encode(photos.get(i)));
                out.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            bulks.add(new Bulk(first, count, out.toByteArray()));
        }
        return bulks;
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
