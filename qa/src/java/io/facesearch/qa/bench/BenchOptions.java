package io.facesearch.qa.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of a benchmark: {@code --name value} or {@code --name=value}, each name possibly
 * repeated. A mode reads the options it knows and then calls {@link #checkAllUsed()} so that a typo is an
 * error instead of a silently ignored option.
 */
public final class BenchOptions {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    public static BenchOptions parse(List<String> args) {
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") == false || arg.length() == 2) {
                throw new BenchException("unexpected argument [" + arg + "]: options are --name value");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.size()) {
                    throw new BenchException("option --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            options.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return options;
    }

    /** The last value of {@code --name}, or null. */
    public String value(String name) {
        used.add(name);
        List<String> list = values.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    public String value(String name, String defaultValue) {
        String v = value(name);
        return v == null ? defaultValue : v;
    }

    public String required(String name, String what) {
        String v = value(name);
        if (v == null || v.isEmpty()) {
            throw new BenchException("missing --" + name + " (" + what + ")");
        }
        return v;
    }

    public List<String> all(String name) {
        used.add(name);
        return values.getOrDefault(name, List.of());
    }

    public int intValue(String name, int defaultValue, int min) {
        String v = value(name);
        if (v == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BenchException("--" + name + " must be a whole number, got [" + v + "]");
        }
        if (parsed < min) {
            throw new BenchException("--" + name + " must be at least " + min + ", got " + parsed);
        }
        return parsed;
    }

    public Path path(String name, String what) {
        return Path.of(required(name, what)).toAbsolutePath().normalize();
    }

    /** Fails on any option no one asked for. */
    public void checkAllUsed() {
        List<String> unknown = new ArrayList<>();
        for (String name : values.keySet()) {
            if (used.contains(name) == false) {
                unknown.add("--" + name);
            }
        }
        if (unknown.isEmpty() == false) {
            throw new BenchException("unknown option(s) for this mode: " + String.join(", ", unknown));
        }
    }
}
