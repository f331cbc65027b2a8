package io.facesearch.vision.image.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Turns the seeds of a family into numbered cases of mutated bytes. Case {@code index} of a family is always the same
 * bytes for the same run seed and seeds: its {@link Random} is seeded from the three, so a failing case is re-run
 * alone by its family and index.
 *
 * <p>Each case takes a seed (in turn) and applies one to three mutations: most of them aimed at the header fields
 * that hold sizes ({@link HeaderFields}), which decoders trust before they allocate; the others flip bits, write
 * interesting bytes, repeat or drop segments, cut the file, insert bytes or splice two seeds.
 */
public final class ImageMutator {
    /** The run seed when none is given: the same cases in every run, so a failure stays reproducible. */
    public static final long DEFAULT_SEED = 20_260_101L;

    /** What a mutation did, as printed in a case's description. */
    public enum Kind {
        SIZE_FIELD,
        HEADER_FIELD,
        WIDE_VALUE,
        BIT_FLIP,
        INTERESTING_BYTES,
        DUPLICATE_SEGMENT,
        REMOVE_SEGMENT,
        TRUNCATE,
        INSERT_BYTES,
        SPLICE;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Relative weights of the kinds, in {@link Kind} order: size fields first, as the bugs that matter live there. */
    private static final int[] WEIGHTS = { 30, 10, 8, 12, 8, 7, 7, 7, 5, 6 };

    private static final int[] INTERESTING_BYTES = { 0x00, 0xFF, 0x7F, 0x80 };
    private static final long[] LARGE_16 = { 0, 1, 0x7FFF, 0x8000, 0xFFFF, 0xFFFE, 0x3FFF, 10_000, 9_999, 40_000 };
    private static final long[] LARGE_24 = { 0, 0xFFFFFF, 0x7FFFFF, 0x3FFF, 9_999, 16_383, 100_000 };
    private static final long[] LARGE_32 = {
        0, 1, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0xFFFFFFFEL, 0x40000000L, 0x10000, 10_000, 100_000, 1_000_000, 0x01000000 };
    private static final String[] LARGE_DECIMAL = {
        "0", "1", "-1", "65535", "65536", "10000", "100000", "1000000", "2147483647", "2147483648", "4294967295", "4294967296",
        "99999999999999999999", "" };

    private final SeedImages seeds;
    private final long runSeed;

    public ImageMutator(SeedImages seeds, long runSeed) {
        this.seeds = seeds;
        this.runSeed = runSeed;
    }

    public long runSeed() {
        return runSeed;
    }

    public SeedImages seeds() {
        return seeds;
    }

    /** Case {@code index} of {@code family}: the same bytes for the same run seed, seeds, family and index. */
    public FuzzCase mutate(ImageFamily family, int index) {
        List<SeedImages.Seed> familySeeds = seeds.of(family);
        if (familySeeds.isEmpty()) {
            throw new IllegalStateException("no seeds for " + family.label());
        }
        Random random = new Random(caseSeed(runSeed, family, index));
        SeedImages.Seed seed = familySeeds.get(index % familySeeds.size());
        byte[] bytes = seed.bytes().clone();
        int count = random.nextInt(10) < 7 ? 1 : random.nextInt(10) < 7 ? 2 : 3;
        List<String> applied = new ArrayList<>();
        for (int i = 0; i < count && bytes.length > 0; i++) {
            Kind kind = pick(random);
            StringBuilder what = new StringBuilder(kind.label());
            bytes = apply(kind, family, bytes, random, what);
            applied.add(what.toString());
        }
        if (family == ImageFamily.PNG && random.nextInt(4) != 0) {
            // A wrong CRC would give most mutations away before any size is read: three cases in four set them right.
            fixPngCrcs(bytes);
            applied.add("png-crcs-fixed");
        }
        return new FuzzCase(family, runSeed, index, seed.name(), List.copyOf(applied), bytes);
    }

    /** A seed for one case's {@link Random}: SplitMix64 steps over the run seed, the family's label and the index. */
    static long caseSeed(long runSeed, ImageFamily family, int index) {
        long z = mix(runSeed) ^ family.label().hashCode();
        return mix(mix(z) + index);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Kind pick(Random random) {
        int total = Arrays.stream(WEIGHTS).sum();
        int r = random.nextInt(total);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return Kind.values()[i];
            }
        }
        throw new AssertionError();
    }

    /** Applies one mutation of {@code kind}, appending what it did to {@code what}; returns the new bytes. */
    private byte[] apply(Kind kind, ImageFamily family, byte[] b, Random random, StringBuilder what) {
        HeaderFields layout = HeaderFields.of(family, b);
        return switch (kind) {
            case SIZE_FIELD -> overwriteField(layout.sizeFields(), b, random, what);
            case HEADER_FIELD -> overwriteField(layout.fields(), b, random, what);
            case WIDE_VALUE -> wideValue(b, random, what);
            case BIT_FLIP -> flipBits(b, random, what);
            case INTERESTING_BYTES -> interestingBytes(b, random, what);
            case DUPLICATE_SEGMENT, REMOVE_SEGMENT -> segment(kind, layout.segments(), b, random, what);
            case TRUNCATE -> truncate(b, random, what);
            case INSERT_BYTES -> insert(b, random, what);
            case SPLICE -> splice(family, b, random, what);
        };
    }

    private byte[] overwriteField(List<HeaderFields.Field> fields, byte[] b, Random random, StringBuilder what) {
        if (fields.isEmpty()) {
            what.append(" (no field found:)");
            return wideValue(b, random, what.append(' ').append(Kind.WIDE_VALUE.label()));
        }
        HeaderFields.Field field = fields.get(random.nextInt(fields.size()));
        long old = field.value(b);
        byte[] out;
        if (field.encoding() == HeaderFields.Encoding.DECIMAL) {
            String value = pickDecimal(old, random);
            out = replace(b, field.offset(), field.length(), value.getBytes(StandardCharsets.US_ASCII));
            what.append(' ').append(field.name()).append('@').append(field.offset()).append(": ").append(old).append(" -> \"").append(value).append('"');
        } else {
            long value = pickLarge(field.length(), old, random);
            out = b.clone();
            ByteFields.put(out, field.offset(), field.length(), value, field.encoding() == HeaderFields.Encoding.LITTLE_ENDIAN);
            what.append(' ').append(field.name()).append('@').append(field.offset()).append(": ").append(hex(old)).append(" -> ").append(hex(value));
        }
        return out;
    }

    /** A large or boundary value for a field of {@code length} bytes holding {@code old}. */
    private static long pickLarge(int length, long old, Random random) {
        long max = length >= 8 ? -1L : (1L << (8 * length)) - 1;
        return switch (random.nextInt(6)) {
            case 0 -> (old * (2 + random.nextInt(200))) & max;
            case 1 -> (old + 1) & max;
            case 2 -> (old - 1) & max;
            case 3 -> random.nextLong() & max;
            default -> {
                long[] values = switch (length) {
                    case 1 -> new long[] { 0, 1, 0x7F, 0x80, 0xFF, 0x10 };
                    case 2 -> LARGE_16;
                    case 3 -> LARGE_24;
                    default -> LARGE_32;
                };
                yield values[random.nextInt(values.length)] & max;
            }
        };
    }

    private static String pickDecimal(long old, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.toString(old * (2 + random.nextInt(1000)));
            case 1 -> Long.toString(old + 1);
            default -> LARGE_DECIMAL[random.nextInt(LARGE_DECIMAL.length)];
        };
    }

    /** A 16- or 32-bit large value, either byte order, at an offset in the first 256 bytes (most often) or anywhere. */
    private static byte[] wideValue(byte[] b, Random random, StringBuilder what) {
        int length = random.nextBoolean() ? 2 : 4;
        if (b.length < length) {
            return b;
        }
        int range = random.nextInt(4) == 0 ? b.length : Math.min(b.length, 256);
        int offset = random.nextInt(Math.max(1, range - length + 1));
        boolean little = random.nextBoolean();
        long value = pickLarge(length, ByteFields.get(b, offset, length, little), random);
        byte[] out = b.clone();
        ByteFields.put(out, offset, length, value, little);
        what.append(' ').append(length * 8).append(little ? "-bit LE @" : "-bit BE @").append(offset).append(" = ").append(hex(value));
        return out;
    }

    private static byte[] flipBits(byte[] b, Random random, StringBuilder what) {
        byte[] out = b.clone();
        int flips = 1 + random.nextInt(8);
        int range = random.nextBoolean() ? Math.min(b.length, 512) : b.length;
        for (int i = 0; i < flips; i++) {
            int offset = random.nextInt(range);
            int bit = random.nextInt(8);
            out[offset] ^= (byte) (1 << bit);
            what.append(i == 0 ? " " : ",").append(offset).append('.').append(bit);
        }
        return out;
    }

    private static byte[] interestingBytes(byte[] b, Random random, StringBuilder what) {
        byte[] out = b.clone();
        int count = 1 + random.nextInt(4);
        int range = random.nextBoolean() ? Math.min(b.length, 512) : b.length;
        for (int i = 0; i < count; i++) {
            int offset = random.nextInt(range);
            int value = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            out[offset] = (byte) value;
            what.append(i == 0 ? " " : ",").append(offset).append('=').append(hex(value));
        }
        return out;
    }

    private static byte[] segment(Kind kind, List<HeaderFields.Segment> segments, byte[] b, Random random, StringBuilder what) {
        if (segments.isEmpty()) {
            what.append(" (no segment found:)");
            return truncate(b, random, what.append(' ').append(Kind.TRUNCATE.label()));
        }
        HeaderFields.Segment s = segments.get(random.nextInt(segments.size()));
        what.append(' ').append(s.name()).append(" (").append(s.length()).append(" bytes)");
        if (kind == Kind.REMOVE_SEGMENT) {
            return replace(b, s.offset(), s.length(), new byte[0]);
        }
        // the copy goes right after the original, or (one time in three) after another segment
        HeaderFields.Segment after = random.nextInt(3) == 0 ? segments.get(random.nextInt(segments.size())) : s;
        int at = after.offset() + after.length();
        byte[] copy = Arrays.copyOfRange(b, s.offset(), s.offset() + s.length());
        int times = random.nextInt(4) == 0 ? 2 + random.nextInt(7) : 1;
        if (times > 1 || after != s) {
            what.append(" x").append(times).append(" after ").append(after.name());
        }
        byte[] repeated = new byte[copy.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(copy, 0, repeated, i * copy.length, copy.length);
        }
        return replace(b, at, 0, repeated);
    }

    private static byte[] truncate(byte[] b, Random random, StringBuilder what) {
        if (b.length < 2) {
            return b;
        }
        // a third of the cuts fall in the headers, where a reader has read sizes but not yet the data
        int length = random.nextInt(3) == 0 ? 1 + random.nextInt(Math.min(b.length - 1, 300)) : 1 + random.nextInt(b.length - 1);
        what.append(' ').append(b.length).append(" -> ").append(length).append(" bytes");
        return Arrays.copyOf(b, length);
    }

    private static byte[] insert(byte[] b, Random random, StringBuilder what) {
        int offset = random.nextInt(b.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(64)];
        int fill = random.nextInt(3);
        if (fill == 0) {
            random.nextBytes(inserted);
        } else {
            Arrays.fill(inserted, (byte) (fill == 1 ? 0x00 : 0xFF));
        }
        what.append(' ').append(inserted.length).append(fill == 0 ? " random" : fill == 1 ? " zero" : " 0xff").append(" bytes @").append(offset);
        return replace(b, offset, 0, inserted);
    }

    /** The head of this file and the tail of another seed of the same family (or, one time in five, of any family). */
    private byte[] splice(ImageFamily family, byte[] b, Random random, StringBuilder what) {
        ImageFamily otherFamily = random.nextInt(5) == 0 ? ImageFamily.values()[random.nextInt(ImageFamily.values().length)] : family;
        List<SeedImages.Seed> candidates = seeds.of(otherFamily);
        SeedImages.Seed other = candidates.get(random.nextInt(candidates.size()));
        int head = random.nextInt(b.length + 1);
        int tailFrom = random.nextInt(other.bytes().length + 1);
        what.append(" 0..").append(head).append(" + ").append(other.name()).append(" from ").append(tailFrom);
        byte[] out = Arrays.copyOf(b, head + other.bytes().length - tailFrom);
        System.arraycopy(other.bytes(), tailFrom, out, head, other.bytes().length - tailFrom);
        return out;
    }

    /** {@code b} with {@code length} bytes at {@code offset} replaced by {@code with}. */
    private static byte[] replace(byte[] b, int offset, int length, byte[] with) {
        byte[] out = new byte[b.length - length + with.length];
        System.arraycopy(b, 0, out, 0, offset);
        System.arraycopy(with, 0, out, offset, with.length);
        System.arraycopy(b, offset + length, out, offset + with.length, b.length - offset - length);
        return out;
    }

    /** Recomputes the CRC of every chunk that is complete. */
    static void fixPngCrcs(byte[] b) {
        for (int[] chunk : HeaderFields.pngChunks(b)) {
            CRC32 crc = new CRC32();
            crc.update(b, chunk[0] + 4, 4 + chunk[1]);
            ByteFields.putBE(b, chunk[0] + 8 + chunk[1], 4, crc.getValue());
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
