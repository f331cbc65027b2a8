package io.facesearch.vision.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file the manifest names (model weights, tokenizer data), found inside the models folder and checked against its
 * SHA-256 before anything reads it: a truncated download or a different export must fail loudly instead of producing
 * quietly different vectors.
 *
 * <p>The manifest is not trusted to stay inside the folder: a name that is absolute, holds a {@code ..} segment or
 * leads out of the folder through a symbolic link, and anything that is not a regular file (a directory, a device, a
 * pipe) or is larger than a bound, is refused before a byte of it is read. Otherwise a manifest could make the node
 * hash any file it can read and print where it is, or hang at start reading {@code /dev/zero} or a pipe. Errors name
 * the file as the manifest writes it, never where it leads.
 */
public final class ModelFile {
    /**
     * Largest file a manifest may name: well above the largest public face and CLIP exports (a ViT-L/14 image encoder in
     * float32 is about 1.2 GB), and a bound on what a mistaken name makes the node read.
     */
    public static final long MAX_BYTES = 4L << 30;

    private ModelFile() {}

    /**
     * The real path of {@code file} inside {@code modelsDir}, once its content matches {@code sha256}; every failure
     * names the model and the reason.
     */
    public static Path verified(String model, Path modelsDir, String file, String sha256) {
        return verified(model, modelsDir, file, sha256, MAX_BYTES);
    }

    /** {@link #verified(String, Path, String, String)} for files of at most {@code maxBytes}. */
    public static Path verified(String model, Path modelsDir, String file, String sha256, long maxBytes) {
        Path path = confined(model, modelsDir, file, maxBytes);
        String actual;
        try {
            actual = sha256(path, maxBytes);
        } catch (IOException e) {
            throw unreadable(model, file, e);
        }
        if (actual == null) {
            throw refused(model, file, "it grew beyond " + maxBytes + " bytes while it was read");
        }
        if (actual.equals(sha256) == false) {
            throw new ModelUnavailableException(
                "model [" + model + "]: file [" + file + "] has sha256 " + actual + " but the manifest expects " + sha256 + " (corrupt or different file)"
            );
        }
        return path;
    }

    /**
     * The real path (symbolic links followed) of {@code file} in {@code modelsDir}: a regular file of at most
     * {@code maxBytes} inside the real models folder, or a {@link ModelUnavailableException} saying why not. Reads no
     * file content.
     */
    private static Path confined(String model, Path modelsDir, String file, long maxBytes) {
        Path relative;
        try {
            // the folder's own file system: under the test framework it is not the default one
            relative = modelsDir.getFileSystem().getPath(file);
        } catch (InvalidPathException e) {
            throw refused(model, file, "not a valid file name");
        }
        if (relative.isAbsolute()) {
            throw refused(model, file, "an absolute path; the manifest names files relative to the models folder");
        }
        for (Path segment : relative) {
            if (segment.toString().equals("..")) {
                throw refused(model, file, "a [..] segment; the manifest names files inside the models folder");
            }
        }
        Path real;
        BasicFileAttributes attributes;
        Path folder;
        try {
            folder = modelsDir.toRealPath();
            real = folder.resolve(relative).toRealPath();
            if (real.startsWith(folder) == false) {
                throw refused(model, file, "it leads outside the models folder through a symbolic link");
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException e) {
            throw unreadable(model, file, e);
        }
        if (attributes.isDirectory()) {
            throw refused(model, file, "a directory, not a regular file");
        }
        if (attributes.isRegularFile() == false) {
            throw refused(model, file, "a device, pipe or socket, not a regular file");
        }
        if (attributes.size() > maxBytes) {
            throw refused(model, file, attributes.size() + " bytes, larger than the limit of " + maxBytes + " bytes");
        }
        return real;
    }

    private static ModelUnavailableException refused(String model, String file, String reason) {
        return new ModelUnavailableException("model [" + model + "]: file [" + file + "] is refused: " + reason);
    }

    /** The reason without the path: the exception's own message would print where a link leads. */
    private static ModelUnavailableException unreadable(String model, String file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ModelUnavailableException(
                "model [" + model + "]: file [" + file + "] does not exist (check face_search.models.path, or run models/fetch)"
            );
        }
        String reason = e instanceof AccessDeniedException ? "access denied"
            : e instanceof FileSystemException fileSystem && fileSystem.getReason() != null ? fileSystem.getReason()
            : e.getClass().getSimpleName();
        return new ModelUnavailableException("model [" + model + "]: file [" + file + "] cannot be read: " + reason, e);
    }

    /** Lower-case hex SHA-256 of a file's content. */
    public static String sha256(Path path) throws IOException {
        return sha256(path, Long.MAX_VALUE);
    }

    /** Lower-case hex SHA-256 of a file's content, or null when it has more than {@code maxBytes}. */
    private static String sha256(Path path, long maxBytes) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream in = Files.newInputStream(path)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                total += read;
                if (total > maxBytes) {
                    return null;
                }
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
