package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * An identification split: {@code path<TAB>identity<TAB>role}, role {@code gallery}, {@code gallery_distractor} or
 * {@code probe}, paths relative to the images folder. A first line whose role column is {@code role} (a header),
 * blank lines and lines starting with {@code #} are skipped.
 */
public record IdentifySplit(List<Entry> entries) {
    public static final String GALLERY = "gallery";
    public static final String DISTRACTOR = "gallery_distractor";
    public static final String PROBE = "probe";

    /** One photo of the split. */
    public record Entry(int line, String path, String identity, String role) {
        public boolean enrolled() {
            return role.equals(GALLERY) || role.equals(DISTRACTOR);
        }

        public boolean probe() {
            return role.equals(PROBE);
        }
    }

    public static IdentifySplit read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    static IdentifySplit parse(List<String> lines, String name) {
        List<Entry> entries = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>();
        for (TsvRows.Row row : TsvRows.of(lines)) {
            String line = row.text();
            String[] parts = row.columns();
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                    name + ":" + row.line() + ": expected 3 tab-separated columns (path, identity, role), got " + parts.length + ": [" + line + "]"
                );
            }
            String path = parts[0].trim();
            String identity = parts[1].trim();
            String role = parts[2].trim();
            if (entries.isEmpty() && role.equals("role")) {
                continue; // header
            }
            if (role.equals(GALLERY) == false && role.equals(DISTRACTOR) == false && role.equals(PROBE) == false) {
                throw new IllegalArgumentException(
                    name + ":" + row.line() + ": role must be gallery, gallery_distractor or probe, got [" + role + "]"
                );
            }
            if (path.isEmpty() || identity.isEmpty()) {
                throw new IllegalArgumentException(name + ":" + row.line() + ": empty path or identity: [" + line + "]");
            }
            if (paths.add(path) == false) {
                throw new IllegalArgumentException(name + ":" + row.line() + ": photo [" + path + "] is listed twice");
            }
            entries.add(new Entry(row.line(), path, identity, role));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(name + ": no entries (expected lines path<TAB>identity<TAB>role)");
        }
        return new IdentifySplit(List.copyOf(entries));
    }

    public List<Entry> enrolled() {
        return entries.stream().filter(Entry::enrolled).toList();
    }

    public List<Entry> probes() {
        return entries.stream().filter(Entry::probe).toList();
    }

    /** Identities with at least one {@code gallery} photo (not distractors), sorted. */
    public List<String> galleryIdentities() {
        return entries.stream().filter(e -> e.role().equals(GALLERY)).map(Entry::identity).distinct().sorted().toList();
    }

    /**
     * A seeded random {@code fraction} of the gallery identities (rounded, at least one when the fraction is above 0),
     * left out of the open-set gallery: their probes must be answered Unknown.
     */
    public Set<String> leaveOut(double fraction, long seed) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("the unknown fraction must be in [0, 1), got " + fraction);
        }
        List<String> identities = new ArrayList<>(galleryIdentities());
        int n = (int) Math.round(fraction * identities.size());
        if (fraction > 0 && n == 0 && identities.size() > 1) {
            n = 1;
        }
        Collections.shuffle(identities, new Random(seed));
        return Set.copyOf(identities.subList(0, n));
    }

    /**
     * The same photos with the gallery photo of every identity that has a gallery photo and probes picked again at
     * random (seeded) among that identity's photos; the others become probes. Distractors stay as they are.
     */
    public IdentifySplit regallery(long seed) {
        Map<String, List<Entry>> byIdentity = new TreeMap<>();
        for (Entry e : entries) {
            if (e.role().equals(DISTRACTOR) == false) {
                byIdentity.computeIfAbsent(e.identity(), k -> new ArrayList<>()).add(e);
            }
        }
        Random random = new Random(seed);
        Map<String, String> roles = new LinkedHashMap<>();
        for (Map.Entry<String, List<Entry>> group : byIdentity.entrySet()) {
            List<Entry> photos = group.getValue();
            long galleryCount = photos.stream().filter(e -> e.role().equals(GALLERY)).count();
            if (galleryCount == 0) {
                continue; // probes without a gallery photo stay probes
            }
            List<Entry> shuffled = new ArrayList<>(photos);
            shuffled.sort((a, b) -> a.path().compareTo(b.path()));
            Collections.shuffle(shuffled, random);
            for (int i = 0; i < shuffled.size(); i++) {
                roles.put(shuffled.get(i).path(), i < galleryCount ? GALLERY : PROBE);
            }
        }
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            String role = roles.getOrDefault(e.path(), e.role());
            out.add(new Entry(e.line(), e.path(), e.identity(), role));
        }
        return new IdentifySplit(List.copyOf(out));
    }

    /** The split in its file format, header first. */
    public String format() {
        StringBuilder sb = new StringBuilder("path\tidentity\trole\n");
        for (Entry e : entries) {
            sb.append(e.path()).append('\t').append(e.identity()).append('\t').append(e.role()).append('\n');
        }
        return sb.toString();
    }
}
