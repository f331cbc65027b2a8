package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;

/** Shrinks an image by an integer factor, each output pixel the mean of a factor x factor block. */
final class BlockAverage {
    private BlockAverage() {}

    static DecodedImage shrink(DecodedImage image, int factor) {
        int width = Math.max(1, image.width() / factor);
        int height = Math.max(1, image.height() / factor);
        byte[] in = image.bgr();
        byte[] out = new byte[width * height * 3];
        int[] sums = new int[width * 3];
        int stride = image.width() * 3;
        int blockRows = Math.min(factor, image.height());
        int blockCols = Math.min(factor, image.width());
        int count = blockRows * blockCols;
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(sums, 0);
            for (int dy = 0; dy < blockRows; dy++) {
                int row = (y * factor + dy) * stride;
                for (int x = 0; x < width; x++) {
                    int start = row + x * factor * 3;
                    int s = x * 3;
                    for (int dx = 0; dx < blockCols; dx++) {
                        int p = start + dx * 3;
                        sums[s] += in[p] & 0xFF;
                        sums[s + 1] += in[p + 1] & 0xFF;
                        sums[s + 2] += in[p + 2] & 0xFF;
                    }
                }
            }
            int outRow = y * width * 3;
            for (int i = 0; i < width * 3; i++) {
                out[outRow + i] = (byte) ((sums[i] + count / 2) / count);
            }
        }
        return new DecodedImage(width, height, out, image.format(), image.sourceWidth(), image.sourceHeight());
    }
}
