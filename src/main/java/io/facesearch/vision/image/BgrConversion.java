package io.facesearch.vision.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns what the ImageIO readers return (any colour model and sample layout) into 8-bit BGR, compositing alpha over
 * white; the common layouts are copied directly, anything else goes through the colour model.
 */
final class BgrConversion {
    private BgrConversion() {}

    static byte[] toBgr(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        SampleModel sm = raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];

        if (cm instanceof ComponentColorModel && db instanceof DataBufferByte byteBuffer
            && sm instanceof ComponentSampleModel csm && isRgbOrGray(cm) && allComponents8Bit(cm)
            && sameBank(csm)) {
            byteComponents(raster, csm, byteBuffer, cm, w, h, out);
            return out;
        }
        if (cm instanceof DirectColorModel dcm && db instanceof DataBufferInt intBuffer
            && sm instanceof SinglePixelPackedSampleModel spp && db.getNumBanks() == 1 && isRgbMasks(dcm)) {
            packedInts(raster, spp, intBuffer, dcm, w, h, out);
            return out;
        }
        if (cm instanceof IndexColorModel icm && sm.getNumBands() == 1) {
            indexed(raster, icm, w, h, out);
            return out;
        }
        if (cm instanceof ComponentColorModel && isRgbOrGray(cm) && db.getDataType() != DataBuffer.TYPE_FLOAT
            && db.getDataType() != DataBuffer.TYPE_DOUBLE) {
            components(raster, cm, w, h, out);
            return out;
        }
        generic(image, w, h, out);
        return out;
    }

    private static boolean isRgbOrGray(ColorModel cm) {
        int type = cm.getColorSpace().getType();
        int colors = cm.getNumColorComponents();
        return (type == ColorSpace.TYPE_RGB && colors == 3) || (type == ColorSpace.TYPE_GRAY && colors == 1);
    }

    private static boolean allComponents8Bit(ColorModel cm) {
        for (int i = 0; i < cm.getNumComponents(); i++) {
            if (cm.getComponentSize(i) != 8) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBank(ComponentSampleModel csm) {
        int[] banks = csm.getBankIndices();
        for (int bank : banks) {
            if (bank != banks[0]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRgbMasks(DirectColorModel dcm) {
        return dcm.getColorSpace().getType() == ColorSpace.TYPE_RGB
            && isByteMask(dcm.getRedMask()) && isByteMask(dcm.getGreenMask()) && isByteMask(dcm.getBlueMask())
            && (dcm.hasAlpha() == false || isByteMask(dcm.getAlphaMask()));
    }

    private static boolean isByteMask(int mask) {
        return mask != 0 && (mask >>> Integer.numberOfTrailingZeros(mask)) == 0xFF;
    }

    /** Composites a colour value over white with a straight (non-premultiplied) alpha. */
    static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** Channel value {@code c} of a pixel with alpha {@code a} composited over white. */
    private static int composite(int c, int a, boolean premultiplied) {
        if (a == 255) {
            return c;
        }
        return premultiplied ? Math.min(255, c + 255 - a) : overWhite(c, a);
    }

    private static void byteComponents(
        Raster raster, ComponentSampleModel csm, DataBufferByte buffer, ColorModel cm, int w, int h, byte[] out
    ) {
        byte[] data = buffer.getData(csm.getBankIndices()[0]);
        int base = buffer.getOffsets()[csm.getBankIndices()[0]];
        int pixelStride = csm.getPixelStride();
        int scanline = csm.getScanlineStride();
        int[] offsets = csm.getBandOffsets();
        int tx = -raster.getSampleModelTranslateX();
        int ty = -raster.getSampleModelTranslateY();
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        boolean gray = cm.getNumColorComponents() == 1;
        int o = 0;
        if (gray) {
            int og = offsets[0];
            int oa = alpha ? offsets[1] : 0;
            for (int y = 0; y < h; y++) {
                int p = base + (y + ty) * scanline + tx * pixelStride;
                for (int x = 0; x < w; x++, p += pixelStride) {
                    int v = data[p + og] & 0xFF;
                    if (alpha) {
                        int a = data[p + oa] & 0xFF;
                        v = composite(v, a, premultiplied);
                    }
                    byte bv = (byte) v;
                    out[o++] = bv;
                    out[o++] = bv;
                    out[o++] = bv;
                }
            }
            return;
        }
        int or = offsets[0];
        int og = offsets[1];
        int ob = offsets[2];
        if (alpha == false) {
            if (pixelStride == 3 && or == 2 && og == 1 && ob == 0 && scanline == w * 3 && tx == 0 && ty == 0) {
                System.arraycopy(data, base, out, 0, out.length);
                return;
            }
            for (int y = 0; y < h; y++) {
                int p = base + (y + ty) * scanline + tx * pixelStride;
                for (int x = 0; x < w; x++, p += pixelStride) {
                    out[o++] = data[p + ob];
                    out[o++] = data[p + og];
                    out[o++] = data[p + or];
                }
            }
            return;
        }
        int oa = offsets[3];
        for (int y = 0; y < h; y++) {
            int p = base + (y + ty) * scanline + tx * pixelStride;
            for (int x = 0; x < w; x++, p += pixelStride) {
                int a = data[p + oa] & 0xFF;
                int b = data[p + ob] & 0xFF;
                int g = data[p + og] & 0xFF;
                int r = data[p + or] & 0xFF;
                b = composite(b, a, premultiplied);
                g = composite(g, a, premultiplied);
                r = composite(r, a, premultiplied);
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static void packedInts(
        Raster raster, SinglePixelPackedSampleModel spp, DataBufferInt buffer, DirectColorModel dcm, int w, int h, byte[] out
    ) {
        int[] data = buffer.getData();
        int base = buffer.getOffset();
        int scanline = spp.getScanlineStride();
        int tx = -raster.getSampleModelTranslateX();
        int ty = -raster.getSampleModelTranslateY();
        int rs = Integer.numberOfTrailingZeros(dcm.getRedMask());
        int gs = Integer.numberOfTrailingZeros(dcm.getGreenMask());
        int bs = Integer.numberOfTrailingZeros(dcm.getBlueMask());
        boolean alpha = dcm.hasAlpha();
        int as = alpha ? Integer.numberOfTrailingZeros(dcm.getAlphaMask()) : 0;
        boolean premultiplied = dcm.isAlphaPremultiplied();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + (y + ty) * scanline + tx;
            for (int x = 0; x < w; x++) {
                int v = data[p + x];
                int r = (v >>> rs) & 0xFF;
                int g = (v >>> gs) & 0xFF;
                int b = (v >>> bs) & 0xFF;
                if (alpha) {
                    int a = (v >>> as) & 0xFF;
                    r = composite(r, a, premultiplied);
                    g = composite(g, a, premultiplied);
                    b = composite(b, a, premultiplied);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static void indexed(Raster raster, IndexColorModel icm, int w, int h, byte[] out) {
        int size = icm.getMapSize();
        int lutSize = 1 << Math.max(1, icm.getPixelSize());
        byte[] lut = new byte[Math.max(size, lutSize) * 3];
        java.util.Arrays.fill(lut, (byte) 255); // out-of-palette indices show as white
        for (int i = 0; i < size; i++) {
            int a = icm.getAlpha(i);
            lut[i * 3] = (byte) overWhite(icm.getBlue(i), a);
            lut[i * 3 + 1] = (byte) overWhite(icm.getGreen(i), a);
            lut[i * 3 + 2] = (byte) overWhite(icm.getRed(i), a);
        }
        int maxIndex = lut.length / 3 - 1;
        int[] row = new int[w];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(minX, minY + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = Math.min(row[x], maxIndex) * 3;
                out[o++] = lut[i];
                out[o++] = lut[i + 1];
                out[o++] = lut[i + 2];
            }
        }
    }

    /** Any integer component layout of RGB(A) or grey(+alpha), e.g. 16-bit PNG: scaled to 8 bits. */
    private static void components(Raster raster, ColorModel cm, int w, int h, byte[] out) {
        int bands = raster.getNumBands();
        int colors = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (int) ((1L << Math.min(cm.getComponentSize(b), 31)) - 1);
        }
        int[] row = new int[w * bands];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                int r;
                int g;
                int b;
                if (colors == 1) {
                    r = g = b = scale(row[p], max[0]);
                } else {
                    r = scale(row[p], max[0]);
                    g = scale(row[p + 1], max[1]);
                    b = scale(row[p + 2], max[2]);
                }
                if (alpha) {
                    int a = scale(row[p + colors], max[colors]);
                    r = composite(r, a, premultiplied);
                    g = composite(g, a, premultiplied);
                    b = composite(b, a, premultiplied);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static int scale(int v, int max) {
        if (max == 255) {
            return v & 0xFF;
        }
        long c = Math.max(0, Math.min(v & 0xFFFFFFFFL, max));
        return (int) ((c * 255 + max / 2) / max);
    }

    /** Anything else (CMYK, float, odd packings): the colour model converts to sRGB, row by row. */
    private static void generic(BufferedImage image, int w, int h, byte[] out) {
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x];
                int a = v >>> 24;
                int r = (v >> 16) & 0xFF;
                int g = (v >> 8) & 0xFF;
                int b = v & 0xFF;
                if (a != 255) {
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    static byte[] subsample(byte[] bgr, int w, int h, int factor, int nw, int nh) {
        byte[] out = new byte[nw * nh * 3];
        int o = 0;
        for (int y = 0; y < nh; y++) {
            int row = y * factor * w * 3;
            for (int x = 0; x < nw; x++) {
                int p = row + x * factor * 3;
                out[o++] = bgr[p];
                out[o++] = bgr[p + 1];
                out[o++] = bgr[p + 2];
            }
        }
        return out;
    }
}
