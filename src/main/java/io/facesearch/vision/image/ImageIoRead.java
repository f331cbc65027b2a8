package io.facesearch.vision.image;

import io.facesearch.vision.Cancellation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.pnm.PNMImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

/**
 * One read of a photo by an ImageIO reader: its header first (the size, read without decoding), then its pixels,
 * subsampled while they are read, with warnings collected and a cancellation that aborts the reader between rows.
 * Metadata is never parsed (orientation is read separately): compressed text and profile chunks are not inflated.
 *
 * <p>Readers come from providers created once: the JDK's, TwelveMonkeys for JPEG (which converts CMYK/YCCK, and
 * some ICC profiles, to RGB) and PNM. The global ImageIO registry is only consulted, read-only, to find the JDK's
 * providers; nothing is registered in it. The readers read straight from the byte array.
 */
final class ImageIoRead implements AutoCloseable {
    private final ImageReader reader;
    private final ImageInputStream stream;
    private final List<String> warnings = new ArrayList<>();

    ImageIoRead(ImageFormat format, byte[] bytes) {
        this.reader = Providers.createReader(format);
        this.stream = new ByteArrayImageInputStream(bytes);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(stream, false, true);
    }

    int width() throws IOException {
        return reader.getWidth(0);
    }

    int height() throws IOException {
        return reader.getHeight(0);
    }

    /** The first image, every {@code factor}-th pixel of every {@code factor}-th row; null when the reader gives none. */
    BufferedImage read(int factor, Cancellation cancellation) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        if (factor > 1) {
            param.setSourceSubsampling(factor, factor, 0, 0);
        }
        if (cancellation != Cancellation.NONE) {
            reader.addIIOReadProgressListener(new AbortWhenCancelled(cancellation));
        }
        BufferedImage image = reader.read(0, param);
        if (cancellation.isCancelled()) {
            throw new CancellationException("decoding the photo was cancelled");
        }
        return image;
    }

    /**
     * The first warning that means the data ended early or was cut, or null. JPEG readers only warn of these: at the
     * end of the file, at a marker in the middle of a scan, or at an end marker where a restart marker should be.
     */
    String truncationWarning() {
        for (String warning : warnings) {
            String lower = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("missing eoi")
                || lower.contains("unexpected end") || lower.contains("instead of rst")) {
                return warning;
            }
        }
        return null;
    }

    @Override
    public void close() {
        reader.dispose();
        try {
            stream.close();
        } catch (IOException ignored) {
            // a byte array stream does not fail to close
        }
    }

    /** Asks the reader to stop at its next row once the request is cancelled. */
    private record AbortWhenCancelled(Cancellation cancellation) implements IIOReadProgressListener {
        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            if (cancellation.isCancelled()) {
                source.abort();
            }
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {}

        @Override
        public void imageComplete(ImageReader source) {}

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {}

        @Override
        public void sequenceComplete(ImageReader source) {}

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {}

        @Override
        public void thumbnailComplete(ImageReader source) {}

        @Override
        public void readAborted(ImageReader source) {}
    }

    /**
     * The reader providers, created once. The TwelveMonkeys JPEG provider finds its JDK delegate in the
     * registry it is registered with, so it is registered in a private {@link ServiceRegistry} that holds
     * only the JDK JPEG provider; the global registry is never modified.
     */
    private static final class Providers {
        private static final String JDK_JPEG = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";
        private static final String JDK_PNG = "com.sun.imageio.plugins.png.PNGImageReaderSpi";
        private static final String JDK_GIF = "com.sun.imageio.plugins.gif.GIFImageReaderSpi";
        private static final String JDK_BMP = "com.sun.imageio.plugins.bmp.BMPImageReaderSpi";
        private static final String JDK_TIFF = "com.sun.imageio.plugins.tiff.TIFFImageReaderSpi";

        static final ImageReaderSpi JPEG;
        static final ImageReaderSpi PNG;
        static final ImageReaderSpi GIF;
        static final ImageReaderSpi BMP;
        static final ImageReaderSpi TIFF;
        static final ImageReaderSpi PNM = new PNMImageReaderSpi();

        static {
            IIORegistry global = IIORegistry.getDefaultInstance();
            ImageReaderSpi jdkJpeg = jdkProvider(global, JDK_JPEG);
            PNG = jdkProvider(global, JDK_PNG);
            GIF = jdkProvider(global, JDK_GIF);
            BMP = jdkProvider(global, JDK_BMP);
            TIFF = jdkProvider(global, JDK_TIFF);
            JPEG = twelveMonkeysJpeg(jdkJpeg);
        }

        private static ImageReaderSpi jdkProvider(IIORegistry registry, String className) {
            Iterator<ImageReaderSpi> it = registry.getServiceProviders(
                ImageReaderSpi.class,
                spi -> spi.getClass().getName().equals(className),
                false
            );
            return it.hasNext() ? it.next() : null;
        }

        private static ImageReaderSpi twelveMonkeysJpeg(ImageReaderSpi jdkJpeg) {
            if (jdkJpeg == null) {
                return null;
            }
            try {
                ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
                registry.registerServiceProvider(jdkJpeg, ImageReaderSpi.class);
                JPEGImageReaderSpi twelveMonkeys = new JPEGImageReaderSpi();
                // onRegistration looks the JDK provider up by class name; without it the provider deregisters itself.
                registry.registerServiceProvider(twelveMonkeys, ImageReaderSpi.class);
                if (registry.contains(twelveMonkeys)) {
                    return twelveMonkeys;
                }
            } catch (RuntimeException | LinkageError e) {
                // fall through to the JDK reader
            }
            return jdkJpeg;
        }

        /** A new reader; a missing provider is a broken JVM, not a bad photo, so it is an IllegalStateException. */
        static ImageReader createReader(ImageFormat format) {
            ImageReaderSpi spi = switch (format) {
                case JPEG -> JPEG;
                case PNG -> PNG;
                case GIF -> GIF;
                case BMP -> BMP;
                case TIFF -> TIFF;
                case PNM -> PNM;
                case WEBP -> throw new IllegalArgumentException("WebP is decoded by libwebp, not by an ImageIO reader");
            };
            if (spi == null) {
                throw new IllegalStateException("no " + format.label() + " image reader is available in this JVM");
            }
            try {
                return spi.createReaderInstance();
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the " + format.label() + " image reader", e);
            }
        }
    }
}
