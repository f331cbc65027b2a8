package io.facesearch.vision.image.fuzz;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.ImageFormat;
import io.facesearch.vision.image.InvalidImageException;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * The well-formed files the decode fuzzing starts from: small pictures (gradients and shapes, 48x40 and 97x61)
 * written at run time by the JDK's ImageIO writers (JPEG, PNG, GIF, BMP, TIFF), by OpenCV (WebP) and by hand
 * (PNM, BMP with a V5 header), in every variant the decoder has a separate path for; plus the real files of the
 * face set's {@code odd/} folder, by the family their bytes belong to, where that folder exists.
 *
 * <p>The same folder gives the same seeds in the same order: a case named by its family and index is the same case
 * in every run.
 */
public final class SeedImages {
    /**
     * Files of {@code odd/} above this size, or whose header declares more than {@link #MAX_REAL_SEED_PIXELS}, are left
     * out: every case decodes its seed, and a 900x750 WebP takes the Java reader half a second.
     */
    static final long MAX_REAL_SEED_BYTES = 300_000;
    static final long MAX_REAL_SEED_PIXELS = 300_000;

    /** One seed: a name saying what it is ({@code png-97x61-rgba}, {@code odd/image.gif}) and its bytes. */
    public record Seed(String name, byte[] bytes, boolean generated) {}

    private final Map<ImageFamily, List<Seed>> seeds;

    private SeedImages(Map<ImageFamily, List<Seed>> seeds) {
        this.seeds = seeds;
    }

    /** Every family's generated seeds, then the files of {@code oddFolder} (skipped when null or missing). */
    public static SeedImages generate(Path oddFolder) {
        Map<ImageFamily, List<Seed>> seeds = new EnumMap<>(ImageFamily.class);
        for (ImageFamily family : ImageFamily.values()) {
            seeds.put(family, new ArrayList<>());
        }
        seeds.get(ImageFamily.JPEG_BASELINE).addAll(jpegs(false));
        seeds.get(ImageFamily.JPEG_PROGRESSIVE).addAll(jpegs(true));
        seeds.get(ImageFamily.PNG).addAll(pngs());
        seeds.get(ImageFamily.GIF).addAll(gifs());
        seeds.get(ImageFamily.WEBP_LOSSY).addAll(webps(false));
        seeds.get(ImageFamily.WEBP_LOSSLESS).addAll(webps(true));
        seeds.get(ImageFamily.BMP).addAll(bmps());
        seeds.get(ImageFamily.TIFF).addAll(tiffs());
        seeds.get(ImageFamily.PNM).addAll(pnms());
        if (oddFolder != null && Files.isDirectory(oddFolder)) {
            for (Path file : sortedFiles(oddFolder)) {
                byte[] bytes = read(file);
                ImageFamily family = familyOf(bytes);
                if (family != null && bytes.length <= MAX_REAL_SEED_BYTES && declaredPixels(bytes) <= MAX_REAL_SEED_PIXELS) {
                    seeds.get(family).add(new Seed("odd/" + file.getFileName(), bytes, false));
                }
            }
        }
        seeds.replaceAll((family, list) -> Collections.unmodifiableList(list));
        return new SeedImages(seeds);
    }

    public List<Seed> of(ImageFamily family) {
        return seeds.get(family);
    }

    /** The family whose decoder path {@code bytes} take, from their leading bytes and structure; null for none. */
    static ImageFamily familyOf(byte[] bytes) {
        ImageFormat format = ImageDecoder.detectFormat(bytes);
        if (format == null) {
            return null;
        }
        return switch (format) {
            case JPEG -> HeaderFields.jpegFrameMarker(bytes) == 0xC2 ? ImageFamily.JPEG_PROGRESSIVE : ImageFamily.JPEG_BASELINE;
            case WEBP -> HeaderFields.hasRiffChunk(bytes, "VP8L") ? ImageFamily.WEBP_LOSSLESS : ImageFamily.WEBP_LOSSY;
            case PNG -> ImageFamily.PNG;
            case GIF -> ImageFamily.GIF;
            case BMP -> ImageFamily.BMP;
            case TIFF -> ImageFamily.TIFF;
            case PNM -> ImageFamily.PNM;
        };
    }

    /** Width times height of the photo as its header declares them; 0 when the decoder refuses it. */
    static long declaredPixels(byte[] bytes) {
        try (DecodedImage image = new ImageDecoder().decode(bytes)) {
            return (long) image.sourceWidth() * image.sourceHeight();
        } catch (InvalidImageException e) {
            return 0; // a broken file: a cheap seed
        }
    }

    // ------------------------------------------------------------------------------------------
    // pictures

    /** A colour picture: a diagonal gradient, a disc, a bar and a thin line, different for each {@code variant}. */
    static BufferedImage picture(int width, int height, int variant) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(30 + 40 * variant, 90, 200), width, height, new Color(240, 200 - 30 * variant, 40)));
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(250, 230, 210));
            g.fillOval(width / 4, height / 5, width / 2, height * 3 / 5);
            g.setColor(new Color(20, 60 + 50 * variant, 30));
            g.fillRect(width / 8, height * 3 / 4, width * 3 / 4, Math.max(2, height / 10));
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawLine(0, height - 1, width - 1, variant);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** {@code picture} converted to another {@link BufferedImage} type (grey, indexed, with alpha...). */
    static BufferedImage as(BufferedImage picture, int type) {
        BufferedImage out = new BufferedImage(picture.getWidth(), picture.getHeight(), type);
        drawInto(picture, out);
        return out;
    }

    /** {@code picture} with a straight alpha channel that fades from opaque (left) to transparent (right). */
    static BufferedImage withAlpha(BufferedImage picture) {
        BufferedImage out = as(picture, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster alpha = out.getAlphaRaster();
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                alpha.setSample(x, y, 0, 255 - x * 255 / Math.max(1, out.getWidth() - 1));
            }
        }
        return out;
    }

    /** {@code picture} as 16-bit RGB (or grey) samples: each 8-bit value v becomes v * 257 plus a little ramp. */
    static BufferedImage sixteenBit(BufferedImage picture, boolean grey) {
        int bands = grey ? 1 : 3;
        ColorSpace space = ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int[] bits = new int[bands];
        Arrays.fill(bits, 16);
        ComponentColorModel model = new ComponentColorModel(space, bits, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(picture.getWidth(), picture.getHeight());
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int rgb = picture.getRGB(x, y);
                int[] channels = { (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF };
                for (int b = 0; b < bands; b++) {
                    int v = grey ? (channels[0] * 3 + channels[1] * 6 + channels[2]) / 10 : channels[b];
                    raster.setSample(x, y, b, Math.min(65535, v * 257 + (x & 0xFF)));
                }
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** {@code picture} reduced to a palette of {@code colors} (2, 16 or 256) entries; the last one transparent when asked. */
    static BufferedImage indexed(BufferedImage picture, int colors, boolean transparent) {
        int bits = colors <= 2 ? 1 : colors <= 16 ? 4 : 8;
        byte[] r = new byte[colors];
        byte[] g = new byte[colors];
        byte[] b = new byte[colors];
        byte[] a = new byte[colors];
        for (int i = 0; i < colors; i++) {
            // a 3-3-2 colour cube where there is room for it, a grey ramp below
            int v = i * 255 / (colors - 1);
            r[i] = (byte) (colors == 256 ? (i >> 5) * 255 / 7 : v);
            g[i] = (byte) (colors == 256 ? ((i >> 2) & 7) * 255 / 7 : v);
            b[i] = (byte) (colors == 256 ? (i & 3) * 255 / 3 : v);
            a[i] = (byte) (transparent && i == colors - 1 ? 0 : 255);
        }
        IndexColorModel model = new IndexColorModel(bits, colors, r, g, b, a);
        BufferedImage out = new BufferedImage(
            picture.getWidth(),
            picture.getHeight(),
            bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_BYTE_BINARY,
            model
        );
        drawInto(picture, out);
        return out;
    }

    private static void drawInto(BufferedImage picture, BufferedImage out) {
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(picture, 0, 0, null);
        } finally {
            g.dispose();
        }
    }

    // ------------------------------------------------------------------------------------------
    // writers

    private static List<Seed> jpegs(boolean progressive) {
        String kind = progressive ? "jpeg-progressive" : "jpeg-baseline";
        List<Seed> out = new ArrayList<>();
        out.add(new Seed(kind + "-48x40-q90", jpeg(picture(48, 40, 0), progressive, 0.9f), true));
        out.add(new Seed(kind + "-97x61-q75", jpeg(picture(97, 61, 1), progressive, 0.75f), true));
        out.add(new Seed(kind + "-97x61-grey", jpeg(as(picture(97, 61, 2), BufferedImage.TYPE_BYTE_GRAY), progressive, 0.8f), true));
        return out;
    }

    static byte[] jpeg(BufferedImage image, boolean progressive, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        return write(writer, image, param);
    }

    private static List<Seed> pngs() {
        List<Seed> out = new ArrayList<>();
        out.add(new Seed("png-48x40-rgb", png(picture(48, 40, 0), false), true));
        out.add(new Seed("png-97x61-rgb-interlaced", png(picture(97, 61, 1), true), true));
        out.add(new Seed("png-97x61-rgba", png(withAlpha(picture(97, 61, 2)), false), true));
        out.add(new Seed("png-48x40-grey16", png(sixteenBit(picture(48, 40, 1), true), false), true));
        out.add(new Seed("png-97x61-rgb16-interlaced", png(sixteenBit(picture(97, 61, 0), false), true), true));
        out.add(new Seed("png-48x40-palette", png(indexed(picture(48, 40, 2), 256, false), false), true));
        out.add(new Seed("png-97x61-palette-trns-interlaced", png(indexed(picture(97, 61, 1), 256, true), true), true));
        out.add(new Seed("png-48x40-1bit", png(indexed(picture(48, 40, 0), 2, false), false), true));
        return out;
    }

    static byte[] png(BufferedImage image, boolean interlaced) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        return write(writer, image, param);
    }

    private static List<Seed> gifs() {
        List<Seed> out = new ArrayList<>();
        out.add(new Seed("gif-48x40", gif(List.of(indexed(picture(48, 40, 0), 256, false)), List.of(new int[2]), false), true));
        out.add(new Seed("gif-97x61-interlaced-trns", gif(List.of(indexed(picture(97, 61, 1), 256, true)), List.of(new int[2]), true), true));
        // an animation whose later frames are smaller than the screen and placed inside it
        out.add(
            new Seed(
                "gif-48x40-3-frames",
                gif(
                    List.of(indexed(picture(48, 40, 0), 256, false), indexed(picture(20, 16, 1), 16, false), indexed(picture(30, 20, 2), 256, true)),
                    List.of(new int[] { 0, 0 }, new int[] { 10, 8 }, new int[] { 5, 5 }),
                    false
                ),
                true
            )
        );
        return out;
    }

    /** A GIF of {@code frames}, each at its {x, y} offset, the first one's size as the screen. */
    private static byte[] gif(List<BufferedImage> frames, List<int[]> offsets, boolean interlaced) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = frames.get(i);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode descriptor = child(root, "ImageDescriptor");
                descriptor.setAttribute("imageLeftPosition", Integer.toString(offsets.get(i)[0]));
                descriptor.setAttribute("imageTopPosition", Integer.toString(offsets.get(i)[1]));
                IIOMetadataNode control = child(root, "GraphicControlExtension");
                control.setAttribute("delayTime", "10");
                control.setAttribute("disposalMethod", "none");
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i) instanceof IIOMetadataNode node && node.getNodeName().equals(name)) {
                return node;
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }

    private static List<Seed> webps(boolean lossless) {
        String kind = lossless ? "webp-lossless" : "webp-lossy";
        int quality = lossless ? 101 : 80; // above 100: lossless
        List<Seed> out = new ArrayList<>();
        out.add(new Seed(kind + "-48x40", webp(picture(48, 40, 0), false, quality), true));
        out.add(new Seed(kind + "-97x61", webp(picture(97, 61, 1), false, quality), true));
        out.add(new Seed(kind + "-97x61-alpha", webp(withAlpha(picture(97, 61, 2)), true, quality), true));
        return out;
    }

    /** {@code image} encoded by OpenCV's WebP writer, from BGR or (with {@code alpha}) BGRA pixels. */
    static byte[] webp(BufferedImage image, boolean alpha, int quality) {
        if (OpenCvNatives.available() == false) {
            throw new IllegalStateException("WebP files are written by OpenCV, whose natives did not load: " + OpenCvNatives.unavailableReason());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int channels = alpha ? 4 : 3;
        byte[] pixels = new byte[w * h * channels];
        for (int y = 0, p = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                pixels[p++] = (byte) argb;
                pixels[p++] = (byte) (argb >> 8);
                pixels[p++] = (byte) (argb >> 16);
                if (alpha) {
                    pixels[p++] = (byte) (argb >>> 24);
                }
            }
        }
        try (
            Mat mat = new Mat(h, w, alpha ? opencv_core.CV_8UC4 : opencv_core.CV_8UC3);
            BytePointer encoded = new BytePointer();
            IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_WEBP_QUALITY, quality)
        ) {
            mat.data().put(pixels);
            if (opencv_imgcodecs.imencode(".webp", mat, encoded, params) == false) {
                throw new IllegalStateException("OpenCV could not encode a WebP");
            }
            byte[] out = new byte[(int) encoded.limit()];
            encoded.get(out);
            return out;
        }
    }

    private static List<Seed> bmps() {
        List<Seed> out = new ArrayList<>();
        out.add(new Seed("bmp-97x61-24bit", bmp(picture(97, 61, 0), "BI_RGB"), true));
        out.add(new Seed("bmp-48x40-rle8", bmp(indexed(picture(48, 40, 1), 256, false), "BI_RLE8"), true));
        out.add(new Seed("bmp-48x40-rle4", bmp(indexed(picture(48, 40, 2), 16, false), "BI_RLE4"), true));
        out.add(new Seed("bmp-48x40-8bit", bmp(indexed(picture(48, 40, 0), 256, false), "BI_RGB"), true));
        out.add(new Seed("bmp-97x61-16bit-bitfields", bmp(as(picture(97, 61, 1), BufferedImage.TYPE_USHORT_565_RGB), "BI_BITFIELDS"), true));
        out.add(new Seed("bmp-97x61-32bit-bitfields", bmp(as(picture(97, 61, 2), BufferedImage.TYPE_INT_RGB), "BI_BITFIELDS"), true));
        out.add(new Seed("bmp-48x40-embedded-jpeg", bmp(picture(48, 40, 1), "BI_JPEG"), true));
        out.add(new Seed("bmp-48x40-embedded-png", bmp(picture(48, 40, 2), "BI_PNG"), true));
        out.add(new Seed("bmp-48x40-v5-32bit-alpha", bmpV5(withAlpha(picture(48, 40, 0)), false), true));
        out.add(new Seed("bmp-97x61-v5-32bit-top-down", bmpV5(withAlpha(picture(97, 61, 1)), true), true));
        return out;
    }

    static byte[] bmp(BufferedImage image, String compression) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(compression);
        return write(writer, image, param);
    }

    /**
     * A BMP with a BITMAPV5HEADER (124 bytes; the JDK writer only writes the 40-byte one): 32-bit BI_BITFIELDS with an
     * alpha mask and the sRGB colour space, bottom-up or (negative height) top-down.
     */
    static byte[] bmpV5(BufferedImage image, boolean topDown) {
        int w = image.getWidth();
        int h = image.getHeight();
        int pixelBytes = w * h * 4;
        int offset = 14 + 124;
        byte[] b = new byte[offset + pixelBytes];
        ByteFields.ascii(b, 0, "BM");
        ByteFields.putLE(b, 2, 4, offset + pixelBytes);
        ByteFields.putLE(b, 10, 4, offset);
        ByteFields.putLE(b, 14, 4, 124);
        ByteFields.putLE(b, 18, 4, w);
        ByteFields.putLE(b, 22, 4, topDown ? -h : h);
        ByteFields.putLE(b, 26, 2, 1); // planes
        ByteFields.putLE(b, 28, 2, 32); // bits per pixel
        ByteFields.putLE(b, 30, 4, 3); // BI_BITFIELDS
        ByteFields.putLE(b, 34, 4, pixelBytes);
        ByteFields.putLE(b, 38, 4, 2835); // 72 dpi
        ByteFields.putLE(b, 42, 4, 2835);
        ByteFields.putLE(b, 54, 4, 0x00FF0000); // red, green, blue and alpha masks
        ByteFields.putLE(b, 58, 4, 0x0000FF00);
        ByteFields.putLE(b, 62, 4, 0x000000FF);
        ByteFields.putLE(b, 66, 4, 0xFF000000L);
        ByteFields.ascii(b, 70, "BGRs"); // LCS_sRGB: the tag 'sRGB' read as a little-endian number
        ByteFields.putLE(b, 122, 4, 4); // LCS_GM_IMAGES
        for (int row = 0; row < h; row++) {
            int y = topDown ? row : h - 1 - row;
            for (int x = 0; x < w; x++) {
                ByteFields.putLE(b, offset + (row * w + x) * 4, 4, image.getRGB(x, y));
            }
        }
        return b;
    }

    private static List<Seed> tiffs() {
        List<Seed> out = new ArrayList<>();
        BufferedImage colour = picture(97, 61, 0);
        out.add(new Seed("tiff-97x61-uncompressed-strips", tiff(colour, null, 0), true));
        out.add(new Seed("tiff-97x61-lzw-strips", tiff(picture(97, 61, 1), "LZW", 0), true));
        out.add(new Seed("tiff-97x61-deflate-strips", tiff(picture(97, 61, 2), "Deflate", 0), true));
        out.add(new Seed("tiff-97x61-packbits-strips", tiff(colour, "PackBits", 0), true));
        out.add(new Seed("tiff-48x40-uncompressed-tiles", tiff(picture(48, 40, 1), null, 16), true));
        out.add(new Seed("tiff-97x61-lzw-tiles", tiff(picture(97, 61, 2), "LZW", 32), true));
        out.add(new Seed("tiff-48x40-deflate-tiles", tiff(picture(48, 40, 0), "Deflate", 16), true));
        out.add(new Seed("tiff-48x40-packbits-tiles", tiff(picture(48, 40, 2), "PackBits", 16), true));
        out.add(new Seed("tiff-48x40-grey16-lzw", tiff(sixteenBit(picture(48, 40, 1), true), "LZW", 0), true));
        out.add(new Seed("tiff-48x40-palette-packbits", tiff(indexed(picture(48, 40, 0), 256, false), "PackBits", 0), true));
        return out;
    }

    /** A TIFF compressed with {@code compression} (null: none), in strips, or in {@code tile}-pixel tiles when above 0. */
    private static byte[] tiff(BufferedImage image, String compression, int tile) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (compression == null) {
            param.setCompressionMode(ImageWriteParam.MODE_DISABLED);
        } else {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
        }
        if (tile > 0) {
            param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
            param.setTiling(tile, tile, 0, 0);
        }
        return write(writer, image, param);
    }

    private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------------------------------
    // PNM, written by hand: P1-P3 as ASCII, P4-P6 binary, P7 (PAM) with its named header lines

    private static List<Seed> pnms() {
        BufferedImage small = picture(48, 40, 0);
        BufferedImage large = picture(97, 61, 1);
        List<Seed> out = new ArrayList<>();
        out.add(new Seed("pnm-p1-48x40-ascii-bitmap", pnm(small, "P1", 1), true));
        out.add(new Seed("pnm-p2-48x40-ascii-grey", pnm(small, "P2", 255), true));
        out.add(new Seed("pnm-p2-48x40-ascii-grey16", pnm(small, "P2", 65535), true));
        out.add(new Seed("pnm-p3-48x40-ascii-rgb", pnm(small, "P3", 255), true));
        out.add(new Seed("pnm-p4-97x61-bitmap", pnm(large, "P4", 1), true));
        out.add(new Seed("pnm-p5-97x61-grey", pnm(large, "P5", 255), true));
        out.add(new Seed("pnm-p5-48x40-grey16", pnm(small, "P5", 65535), true));
        out.add(new Seed("pnm-p6-97x61-rgb", pnm(large, "P6", 255), true));
        out.add(new Seed("pnm-p6-48x40-rgb16", pnm(small, "P6", 65535), true));
        out.add(new Seed("pnm-p7-48x40-rgb-alpha", pam(withAlpha(small), "RGB_ALPHA", 255), true));
        out.add(new Seed("pnm-p7-97x61-grey", pam(large, "GRAYSCALE", 255), true));
        out.add(new Seed("pnm-p7-48x40-rgb16", pam(small, "RGB", 65535), true));
        return out;
    }

    /** P1 to P6 with a comment line; {@code maxValue} 1 for the bitmaps (P1, P4), 255 or 65535 for the others. */
    static byte[] pnm(BufferedImage image, String magic, int maxValue) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean ascii = magic.equals("P1") || magic.equals("P2") || magic.equals("P3");
        boolean bitmap = magic.equals("P1") || magic.equals("P4");
        int channels = magic.equals("P3") || magic.equals("P6") ? 3 : 1;
        StringBuilder header = new StringBuilder(magic).append("\n# generated seed\n").append(w).append(' ').append(h).append('\n');
        if (bitmap == false) {
            header.append(maxValue).append('\n');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < h; y++) {
            int bits = 0;
            int bitCount = 0;
            for (int x = 0; x < w; x++) {
                int[] rgb = rgb(image.getRGB(x, y));
                for (int c = 0; c < channels; c++) {
                    int v8 = channels == 1 ? (rgb[0] * 3 + rgb[1] * 6 + rgb[2]) / 10 : rgb[c];
                    if (bitmap) {
                        int black = v8 < 128 ? 1 : 0; // in PBM 1 is black
                        if (ascii) {
                            text.append(black).append(x % 35 == 34 ? '\n' : ' ');
                        } else {
                            bits = (bits << 1) | black;
                            if (++bitCount == 8) {
                                out.write(bits);
                                bits = 0;
                                bitCount = 0;
                            }
                        }
                        continue;
                    }
                    int v = maxValue == 255 ? v8 : v8 * 257;
                    if (ascii) {
                        text.append(v).append(x % 12 == 11 && c == channels - 1 ? '\n' : ' ');
                    } else if (maxValue > 255) {
                        out.write(v >> 8);
                        out.write(v);
                    } else {
                        out.write(v);
                    }
                }
            }
            if (bitmap && ascii == false && bitCount > 0) {
                out.write(bits << (8 - bitCount)); // rows are padded to whole bytes
            }
            if (ascii) {
                text.append('\n');
            }
        }
        out.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** P7 (PAM) with the given tuple type: GRAYSCALE, RGB or RGB_ALPHA. */
    static byte[] pam(BufferedImage image, String tupleType, int maxValue) {
        int w = image.getWidth();
        int h = image.getHeight();
        int depth = switch (tupleType) {
            case "GRAYSCALE" -> 1;
            case "RGB" -> 3;
            case "RGB_ALPHA" -> 4;
            default -> throw new IllegalArgumentException(tupleType);
        };
        String header = String.format(
            Locale.ROOT,
            "P7\n# generated seed\nWIDTH %d\nHEIGHT %d\nDEPTH %d\nMAXVAL %d\nTUPLTYPE %s\nENDHDR\n",
            w,
            h,
            depth,
            maxValue,
            tupleType
        );
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int[] rgb = rgb(argb);
                int[] samples = switch (depth) {
                    case 1 -> new int[] { (rgb[0] * 3 + rgb[1] * 6 + rgb[2]) / 10 };
                    case 3 -> rgb;
                    default -> new int[] { rgb[0], rgb[1], rgb[2], argb >>> 24 };
                };
                for (int v8 : samples) {
                    if (maxValue > 255) {
                        int v = v8 * 257;
                        out.write(v >> 8);
                        out.write(v);
                    } else {
                        out.write(v8);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int[] rgb(int argb) {
        return new int[] { (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF };
    }

    // ------------------------------------------------------------------------------------------
    // files

    private static List<Path> sortedFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
