package io.facesearch.vision.image;

import java.util.Base64;

/** Photos travel in JSON as base64: plain, MIME with line breaks, or a {@code data:image/...;base64,} URI. */
public final class Base64Photo {
    private Base64Photo() {}

    /** The photo bytes of {@code value} (empty for an empty string: the decoder says why that is no photo); errors name {@code field}. */
    public static byte[] decode(String value, String field) {
        String data = value;
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || data.substring(0, comma).endsWith(";base64") == false) {
                throw new IllegalArgumentException("[" + field + "] is a data URI without ';base64,'");
            }
            data = data.substring(comma + 1);
        }
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + field + "] is not valid base64: " + e.getMessage(), e);
        }
    }
}
