package io.facesearch.common;

import org.opensearch.OpenSearchException;
import org.opensearch.ingest.ConfigurationUtils;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads the options of a processor definition (ingest or search pipeline) with the rules every request field
 * follows: a value given, null too, has the option's type and range, or the pipeline is refused with a
 * {@code parse_exception} that names the processor, its tag and the option.
 */
public final class ProcessorOptions {
    private final String type;
    private final String tag;
    private final Map<String, Object> config;

    /** The options in {@code config} of the processor {@code type} tagged {@code tag} (null when untagged). */
    public ProcessorOptions(String type, String tag, Map<String, Object> config) {
        this.type = type;
        this.tag = tag;
        this.config = config;
    }

    /** Takes option {@code key} out of the config, read by {@code read}; {@code defaultValue} when it is not given. */
    public <T> T take(String key, T defaultValue, BiFunction<Object, String, T> read) {
        if (config.containsKey(key) == false) {
            return defaultValue;
        }
        Object value = config.remove(key);
        try {
            return read.apply(value, key);
        } catch (IllegalArgumentException e) {
            throw invalid(key, stripKey(e.getMessage(), key));
        }
    }

    /** Refuses option {@code key} of the processor for {@code reason}. */
    public OpenSearchException invalid(String key, String reason) {
        return ConfigurationUtils.newConfigurationException(type, tag, key, reason);
    }

    /** The field checks word a refusal "[key] reason", and a pipeline error puts the "[key] " in front itself. */
    private static String stripKey(String message, String key) {
        String prefix = "[" + key + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    public static BiFunction<Object, String, Integer> integerWithin(int min, int max) {
        return (value, key) -> FieldValues.integer(value, key, min, max);
    }

    public static BiFunction<Object, String, Float> numberWithin(float min, float max) {
        return (value, key) -> FieldValues.number(value, key, min, max);
    }
}
