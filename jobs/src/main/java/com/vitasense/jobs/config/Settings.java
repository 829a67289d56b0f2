package com.vitasense.jobs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Command-line settings with environment-variable fallbacks: {@code --kafka-bootstrap} falls back
 * to {@code VITASENSE_KAFKA_BOOTSTRAP}. A flag wins over the environment, the environment over the
 * default. Secrets are read only from the environment or a file, never from a flag, so they stay
 * out of process listings and shell history.
 */
public final class Settings {
    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Set<String> read = new HashSet<>();

    private Settings(Map<String, String> flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
    }

    public static Settings parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new InvalidSettingException("unexpected argument '" + arg + "': settings are given as --name value");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            if (flags.put(name, value) != null) {
                throw new InvalidSettingException("--" + name + " is given twice");
            }
        }
        return new Settings(flags, env);
    }

    public static Settings fromMain(String[] args) {
        return parse(args, System.getenv());
    }

    /** The environment variable that backs a flag: {@code jdbc-url} -> {@code VITASENSE_JDBC_URL}. */
    public static String envName(String flag) {
        return "VITASENSE_" + flag.toUpperCase().replace('-', '_');
    }

    private String raw(String name) {
        read.add(name);
        String v = flags.get(name);
        if (v == null) v = env.get(envName(name));
        return v == null || v.isBlank() ? null : v.trim();
    }

    public boolean isSet(String name) {
        return raw(name) != null;
    }

    /** True if the flag itself is on the command line (an environment fallback does not count). */
    public boolean isFlag(String name) {
        read.add(name);
        return flags.containsKey(name);
    }

    public String string(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    public String required(String name) {
        String v = raw(name);
        if (v == null) {
            throw new InvalidSettingException("missing setting --" + name + " (or environment variable " + envName(name) + ")");
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return parsed(name, defaultValue, s -> {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw new Constraint("must be between " + min + " and " + max);
            return v;
        }, "an integer");
    }

    public Duration duration(String name, Duration defaultValue) {
        return parsed(name, defaultValue, s -> {
            Duration d = parseDuration(s);
            if (d.isNegative()) throw new Constraint("must not be negative");
            return d;
        }, "a duration such as 30s, 5m, 48h or PT1M");
    }

    /** A 64-bit integer within [min, max]. */
    public long longInteger(String name, long defaultValue, long min, long max) {
        return parsed(name, defaultValue, s -> {
            long v = Long.parseLong(s);
            if (v < min || v > max) throw new Constraint("must be between " + min + " and " + max);
            return v;
        }, "an integer");
    }

    /** An ISO-8601 instant such as {@code 2026-11-27T00:00:00Z}. */
    public Instant instant(String name, Instant defaultValue) {
        return parsed(name, defaultValue, Instant::parse, "an ISO-8601 instant such as 2026-11-27T00:00:00Z");
    }

    /** A time-zone id such as {@code Europe/Berlin}; null when unset and no default. */
    public ZoneId timeZone(String name, ZoneId defaultValue) {
        return parsed(name, defaultValue, ZoneId::of, "a time zone such as Europe/Berlin or UTC");
    }

    /** A file that must exist and be readable. */
    public Path existingFile(String name) {
        String v = required(name);
        Path p = Path.of(v);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new InvalidSettingException("invalid --" + name + " '" + v + "': no such readable file");
        }
        return p;
    }

    public boolean bool(String name, boolean defaultValue) {
        return parsed(name, defaultValue, s -> switch (s.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        }, "true or false");
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        return parsed(name, defaultValue, s -> Enum.valueOf(type, s.toUpperCase().replace('-', '_')),
                "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase().replace('_', '-'));
    }

    /**
     * A secret: from the environment variable {@code VITASENSE_<NAME>}, or from the file named by
     * {@code --<name>-file} / {@code VITASENSE_<NAME>_FILE}. A flag carrying the secret itself is
     * refused.
     */
    public String secret(String name) {
        if (flags.containsKey(name)) {
            throw new InvalidSettingException("--" + name + " is not accepted on the command line; set "
                    + envName(name) + " or --" + name + "-file");
        }
        String fromEnv = env.get(envName(name));
        String file = raw(name + "-file");
        if (fromEnv != null && file != null) {
            throw new InvalidSettingException("both " + envName(name) + " and --" + name + "-file are set; use one");
        }
        if (fromEnv != null) return fromEnv;
        if (file == null) return null;
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read --" + name + "-file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reports an invalid setting in one line and ends the program: with exit code 2 when it runs
     * from the launcher, by rethrowing when it runs inside a Flink client or cluster (a web or REST
     * submission runs {@code main} in the JobManager, which {@code System.exit} would take down).
     */
    public static RuntimeException fail(InvalidSettingException e) {
        System.err.println("error: " + e.getMessage());
        if (System.getenv("VITASENSE_LAUNCHER") != null) {
            System.exit(2);
        }
        return e;
    }

    /**
     * Ends an entry point that runs both under the launcher and inside Flink ({@code flink run},
     * a REST submission, or the JobManager of an application-mode deployment such as the chart's
     * backfill): under the launcher ({@code VITASENSE_LAUNCHER} set) it exits the JVM with
     * {@code code}, which a local run needs to stop its Flink threads; anywhere else it returns for
     * 0 and throws otherwise, because {@code System.exit} there would take the JobManager down
     * with it (Kubernetes would then restart it and run the program again).
     *
     * @param code 0 done, 1 failed, 2 invalid settings
     * @param failure the one line that says why, for the exception when {@code code} is not 0
     */
    public static void finish(int code, String failure) {
        finish(code, failure, System.getenv("VITASENSE_LAUNCHER") != null, System::exit);
    }

    static void finish(int code, String failure, boolean launcher, java.util.function.IntConsumer exit) {
        if (launcher) {
            exit.accept(code);
            return;
        }
        if (code == 2) throw new InvalidSettingException(failure);
        if (code != 0) throw new CommandFailedException(failure);
    }

    /** Fails on flags nobody asked for, which are almost always typos. */
    public void rejectUnknown() {
        for (String name : flags.keySet()) {
            if (!read.contains(name)) {
                throw new InvalidSettingException("unknown setting --" + name);
            }
        }
    }

    private <T> T parsed(String name, T defaultValue, Function<String, T> parser, String expected) {
        String v = raw(name);
        if (v == null) return defaultValue;
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            // Parser errors say nothing a user needs beyond "expected ..."; constraints do.
            String why = e instanceof Constraint ? " (" + e.getMessage() + ")" : "";
            throw new InvalidSettingException("invalid --" + name + " '" + v + "': expected " + expected + why);
        }
    }

    /** A well-formed value outside what the setting allows. */
    private static final class Constraint extends RuntimeException {
        Constraint(String message) {
            super(message);
        }
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase();
        if (t.startsWith("p")) return Duration.parse(s.trim().toUpperCase());
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)))) i++;
        if (i == 0) throw new IllegalArgumentException("no number");
        long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i).trim()) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown unit '" + t.substring(i) + "'");
        };
    }
}
