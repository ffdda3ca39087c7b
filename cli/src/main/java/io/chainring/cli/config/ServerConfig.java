package io.chainring.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a server command's option values come from when its flag is not given: the environment
 * ({@code CHAINRING_<KEY>}, the key upper-cased with '-' as '_'), then the role's config file
 * ({@code --config FILE}, a properties file whose keys are the long option names without
 * {@code --}), then the option's built-in default. Flags given on the command line win over all.
 * A key the command does not know is refused with the list of keys it knows: a typo must not be
 * silently ignored.
 */
public final class ServerConfig implements IDefaultValueProvider {
    /** Options that are not configuration: asking for help, and the file itself. */
    private static final Set<String> NOT_KEYS = Set.of("help", "version", "config", "json", "verbose");

    /** Options every command inherits from {@code chainring} that a server command reads (the UI finds the cluster by them). */
    private static final Map<String, Set<String>> INHERITED_KEYS = Map.of("admin-ui", Set.of("seeds", "timeout"));

    /** Keys whose environment variable predates this scheme and keeps its name. */
    private static final Map<String, String> ENV_NAMES = Map.of("token", "CHAINRING_ADMIN_TOKEN");

    /**
     * File keys set aside when this environment variable holds the secret itself: the
     * environment overrides the file, whatever form it takes.
     */
    private static final Map<String, String> SET_ASIDE_BY = Map.of(
            "zk-auth-file", "CHAINRING_ZK_AUTH",
            "cluster-secret-file", "CHAINRING_CLUSTER_SECRET");

    /** "value   # note": the note would become part of the value. */
    private static final Pattern END_OF_LINE_COMMENT = Pattern.compile("\\s#");

    private final Set<String> keys;
    private final Path file;
    private final Map<String, String> fromFile;
    private final Map<String, String> env;
    private final Map<String, String> sources = new TreeMap<>();

    private ServerConfig(CommandSpec command, Path file, Map<String, String> fromFile, Map<String, String> env) {
        this.keys = keys(command);
        this.file = file;
        this.fromFile = fromFile;
        this.env = env;
    }

    /**
     * The configuration of {@code command} from {@code file} (null: none) and {@code env}.
     *
     * @throws IllegalArgumentException the file is missing or unreadable, or names a key the command does not have
     */
    public static ServerConfig load(CommandSpec command, Path file, Map<String, String> env) {
        Map<String, String> values = file == null ? Map.of() : read(file);
        Set<String> known = keys(command);
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": unknown key(s) " + String.join(", ", unknown) + " for '"
                    + command.name() + "' (its keys: " + String.join(", ", known) + ")");
        }
        return new ServerConfig(command, file, values, Map.copyOf(env));
    }

    /** The keys a command reads from its file: the long names of its options, without the dashes. */
    public static Set<String> keys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            if (isKey(command, o)) {
                keys.add(key(o));
            }
        }
        return keys;
    }

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return ENV_NAMES.getOrDefault(key, "CHAINRING_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String key = key(option);
        if (!keys.contains(key)) {
            return null;
        }
        String name = envName(key);
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            sources.put(key, "$" + name);
            return value.strip();
        }
        String setAside = SET_ASIDE_BY.get(key);
        if (setAside != null && env.get(setAside) != null && !env.get(setAside).isBlank()) {
            sources.put(key, "$" + setAside);
            return null;
        }
        value = fromFile.get(key);
        if (value != null) {
            sources.put(key, file.toString());
            return value;
        }
        return null;
    }

    /**
     * Where each configured value came from (key to a file name or {@code $VARIABLE}), for the
     * start-up log; values are not shown, some are secrets. A flag given on the command line
     * overrides what this says.
     */
    public Map<String, String> sources() {
        return Map.copyOf(sources);
    }

    public Path file() {
        return file;
    }

    private static boolean isKey(CommandSpec command, OptionSpec o) {
        String key = key(o);
        if (NOT_KEYS.contains(key)) {
            return false;
        }
        return !o.inherited() || INHERITED_KEYS.getOrDefault(command.name(), Set.of()).contains(key);
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file not found: " + file, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            String value = p.getProperty(name).strip();
            if (END_OF_LINE_COMMENT.matcher(value).find()) {
                throw new IllegalArgumentException(file + ": the value of '" + name.strip() + "' is '" + value
                        + "': a properties file has no comments at the end of a line; put the comment on a line of its own");
            }
            values.put(name.strip(), value);
        }
        return values;
    }
}
