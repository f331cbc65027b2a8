package io.facesearch.vision.clip;

/**
 * Where CLIP's {@code Resize(size)} followed by {@code CenterCrop(size)} takes a photo: the short side
 * scaled to {@code size}, the long side by the same ratio, then a centred {@code size x size} window.
 *
 * <p>The arithmetic is torchvision's, including its quirks, because a pixel of offset shifts every value
 * the model sees: the long side is truncated, not rounded ({@code int(size * long / short)}), and the crop
 * offset is rounded half to even (Python's {@code round}), so an odd margin of 1 gives offset 0 and 3 gives 2.
 */
record ResizeCropGeometry(int resizedWidth, int resizedHeight, int left, int top) {

    static ResizeCropGeometry of(int width, int height, int size) {
        if (width <= 0 || height <= 0 || size <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + width + "x" + height + " to " + size);
        }
        int resizedWidth;
        int resizedHeight;
        if (width <= height) {
            resizedWidth = size;
            resizedHeight = scaleLongSide(height, width, size);
        } else {
            resizedWidth = scaleLongSide(width, height, size);
            resizedHeight = size;
        }
        return new ResizeCropGeometry(resizedWidth, resizedHeight, cropOffset(resizedWidth, size), cropOffset(resizedHeight, size));
    }

    private static int scaleLongSide(int longSide, int shortSide, int size) {
        return (int) ((double) ((long) size * longSide) / shortSide);
    }

    private static int cropOffset(int resized, int size) {
        return (int) Math.rint((resized - size) / 2.0);
    }
}
