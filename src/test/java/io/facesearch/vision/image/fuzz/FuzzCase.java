package io.facesearch.vision.image.fuzz;

import java.util.List;

/**
 * One mutated file: which family, run seed and index made it (enough to make it again with {@link ImageMutator}),
 * the seed file it started from, what was done to it, and its bytes.
 */
public record FuzzCase(ImageFamily family, long runSeed, int index, String seedName, List<String> mutations, byte[] bytes) {

    /** {@code family=png seed=20260101 mutation=17 base=png-97x61-rgba bytes=812 kind=[size-field IHDR.width@16: 0x61 -> 0xffffffff]}. */
    public String describe() {
        return "family=" + family.label() + " seed=" + runSeed + " mutation=" + index + " base=" + seedName + " bytes=" + bytes.length
            + " kind=[" + String.join("; ", mutations) + "]";
    }
}
