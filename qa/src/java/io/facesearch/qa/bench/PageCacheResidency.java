package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How much of an index's files the page cache holds, read with util-linux's {@code fincore} on the files of a node
 * running on this machine. The lucene engine's graphs and vectors are Lucene files read through memory maps, so what
 * the page cache holds of them, not their size, is the memory a node's searches keep resident.
 */
final class PageCacheResidency {
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    /** Size and resident bytes of the index's files of one extension. */
    record FileType(long sizeBytes, long residentBytes) {}

    private final Path indexDirectory;
    private final String unavailable;

    private PageCacheResidency(Path indexDirectory, String unavailable) {
        this.indexDirectory = indexDirectory;
        this.unavailable = unavailable;
    }

    /** The folder of {@code index} among the data paths of the node {@code client} talks to, if it is on this machine. */
    static PageCacheResidency of(NodeHttpClient client, String index) {
        // flat settings: the key is "index.uuid", which a dotted path cannot name
        Object uuid = null;
        Object byIndex = client.getJson("/" + index + "/_settings/index.uuid?flat_settings=true").get(index);
        if (byIndex instanceof Map<?, ?> m && m.get("settings") instanceof Map<?, ?> settings) {
            uuid = settings.get("index.uuid");
        }
        if (uuid == null) {
            return new PageCacheResidency(null, "the uuid of index " + index + " was not found");
        }
        try {
            BenchProcess.run(List.of("fincore", "--version"));
        } catch (BenchException e) {
            return new PageCacheResidency(null, "fincore (util-linux) cannot be run: " + e.getMessage());
        }
        Map<String, Object> fs = client.getJson("/_nodes/_local/stats/fs");
        if (fs.get("nodes") instanceof Map<?, ?> nodes) {
            for (Object node : nodes.values()) {
                Object data = node instanceof Map<?, ?> n && n.get("fs") instanceof Map<?, ?> f ? f.get("data") : null;
                for (Map<String, Object> path : BenchJson.objects(data)) {
                    Path candidate = Path.of(String.valueOf(path.get("path")), "indices", uuid.toString());
                    if (Files.isDirectory(candidate)) {
                        return new PageCacheResidency(candidate, null);
                    }
                }
            }
        }
        return new PageCacheResidency(null, "the files of index " + index + " are not on this machine (or not readable)");
    }

    /** Null when residency can be measured, else why not. */
    String unavailable() {
        return unavailable;
    }

    /** Size and resident bytes of the index's files by extension (all shards); empty when not measurable. */
    Map<String, FileType> measure() throws IOException {
        Map<String, FileType> byExtension = new TreeMap<>();
        if (indexDirectory == null) {
            return byExtension;
        }
        List<String> command = new ArrayList<>(List.of("fincore", "--bytes", "--raw", "--noheadings", "--output", "RES,SIZE,FILE"));
        try (Stream<Path> files = Files.walk(indexDirectory)) {
            files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().contains(".")).forEach(f -> command.add(f.toString()));
        }
        String out = BenchProcess.run(command);
        for (String line : out.split("\n")) {
            String[] fields = line.trim().split(" ", 3);
            if (fields.length < 3) {
                continue;
            }
            String name = Path.of(fields[2]).getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            FileType seen = byExtension.getOrDefault(extension, new FileType(0, 0));
            byExtension.put(extension, new FileType(seen.sizeBytes() + Long.parseLong(fields[1]), seen.residentBytes() + Long.parseLong(fields[0])));
        }
        return byExtension;
    }

    /** Empties the machine's page cache (root only); null when done, else why not. */
    static String dropPageCache() {
        try {
            BenchProcess.run(List.of("sync"));
        } catch (BenchException e) {
            return e.getMessage();
        }
        try {
            Files.writeString(DROP_CACHES, "1", StandardCharsets.US_ASCII);
            return null;
        } catch (IOException e) {
            return "cannot write " + DROP_CACHES + " (needs root): " + e.getMessage();
        }
    }
}
