package io.facesearch.vision.image;

/** The hostile test images, for tests outside this package. */
public final class HostileImagesAccess {
    private HostileImagesAccess() {}

    public static byte[] blackPng(int width, int height) {
        return HostileImages.blackPng(width, height);
    }
}
