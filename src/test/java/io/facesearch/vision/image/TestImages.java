package io.facesearch.vision.image;

import java.util.Random;

/** Synthetic decoded photos for tests. */
public final class TestImages {
    private TestImages() {}

    /** A pixel's value, 0 to 255, in channel 0 (blue), 1 (green) or 2 (red) at column x and row y. */
    @FunctionalInterface
    public interface PixelValue {
        int at(int x, int y, int channel);
    }

    /** An image whose every value is given by {@code value}. */
    public static DecodedImage generated(int width, int height, PixelValue value) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[(y * width + x) * 3 + c] = (byte) value.at(x, y, c);
                }
            }
        }
        return new DecodedImage(width, height, pixels, ImageFormat.PNG);
    }

    /** An image filled with one colour, given as B, G, R. */
    public static DecodedImage uniform(int width, int height, int b, int g, int r) {
        return generated(width, height, (x, y, c) -> c == 0 ? b : c == 1 ? g : r);
    }

    /** An image of random bytes, the same for the same seed. */
    public static DecodedImage random(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new Random(seed).nextBytes(pixels);
        return new DecodedImage(width, height, pixels, ImageFormat.PNG);
    }
}
