package io.facesearch.vision.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file the manifest names (model weights, tokenizer data), found under the models folder and checked
 * against its SHA-256 before anything reads it: a truncated download or a different export must fail
 * loudly instead of producing quietly different vectors.
 */
public final class ModelFile {
    private ModelFile() {}

    /**
     * The path of {@code file} under {@code modelsDir}, once its content matches {@code sha256}; every failure names
     * the model and the reason.
     */
    public static Path verified(String model, Path modelsDir, String file, String sha256) {
        Path path = modelsDir.resolve(file).normalize();
        String actual;
        try {
            actual = sha256(path);
        } catch (NoSuchFileException e) {
            throw new ModelUnavailableException(
                "model [" + model + "]: file [" + path + "] does not exist (check face_search.models.path, or run models/fetch)"
            );
        } catch (IOException e) {
            throw new ModelUnavailableException("model [" + model + "]: cannot read [" + path + "]: " + e.getMessage(), e);
        }
        if (actual.equals(sha256) == false) {
            throw new ModelUnavailableException(
                "model ["
                    + model
                    + "]: file ["
                    + path
                    + "] has sha256 "
                    + actual
                    + " but the manifest expects "
                    + sha256
                    + " (corrupt or different file)"
            );
        }
        return path;
    }

    /** Lower-case hex SHA-256 of a file's content. */
    public static String sha256(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
