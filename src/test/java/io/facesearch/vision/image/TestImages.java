package io.facesearch.vision.image;

/** Synthetic decoded photos for tests. */
public final class TestImages {
    private TestImages() {}

    /** An image filled with one colour, given as B, G, R. */
    public static DecodedImage uniform(int width, int height, int b, int g, int r) {
        byte[] pixels = new byte[width * height * 3];
        for (int p = 0; p < pixels.length; p += 3) {
            pixels[p] = (byte) b;
            pixels[p + 1] = (byte) g;
            pixels[p + 2] = (byte) r;
        }
        return new DecodedImage(width, height, pixels, ImageFormat.PNG);
    }
}
