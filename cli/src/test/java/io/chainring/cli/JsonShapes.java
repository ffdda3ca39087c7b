package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON shapes table of docs/CLI.md, read from the file, so that the tests hold every
 * command's {@code --json} to what the docs say: the same field names, and each value of a
 * documented type ({@code string}, {@code number}, {@code bool}, {@code list}, {@code object},
 * {@code null}; {@code a|b} for either; {@code name?} for a field that may be left out).
 */
final class JsonShapes {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.+) \\|$");
    private static final Pattern FIELD = Pattern.compile("`([A-Za-z]+)`(\\?)? ([a-z|\\\\]+)");
    private static final Map<String, List<Field>> SHAPES = load();

    /** One documented field. */
    record Field(String name, Set<String> types, boolean optional) {
    }

    private JsonShapes() {
    }

    private static Map<String, List<Field>> load() {
        Path doc = Path.of(System.getProperty("basedir", ".")).resolve("../docs/CLI.md");
        List<String> lines;
        try {
            lines = Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<Field>> shapes = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher row = ROW.matcher(line.trim());
            if (!row.matches()) {
                continue;
            }
            List<Field> fields = new ArrayList<>();
            Matcher f = FIELD.matcher(row.group(2));
            while (f.find()) {
                Set<String> types = new LinkedHashSet<>(List.of(f.group(3).replace("\\", "").split("\\|")));
                fields.add(new Field(f.group(1), types, f.group(2) != null));
            }
            if (!fields.isEmpty()) {
                shapes.put(row.group(1), fields);
            }
        }
        return shapes;
    }

    /** The documented fields of a command (path), e.g. {@code status .nodes[]}. */
    static List<Field> of(String path) {
        List<Field> fields = SHAPES.get(path);
        assertThat(fields).as("docs/CLI.md documents the JSON of '%s'", path).isNotNull();
        return fields;
    }

    /** Asserts that {@code json} has exactly the documented fields of {@code path}, each of a documented type. */
    static void check(String path, JsonNode json) {
        assertThat(json.isObject()).as("%s is an object: %s", path, json).isTrue();
        List<Field> fields = of(path);
        Set<String> actual = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(actual::add);
        Set<String> required = new LinkedHashSet<>();
        Set<String> allowed = new LinkedHashSet<>();
        for (Field f : fields) {
            allowed.add(f.name());
            if (!f.optional()) {
                required.add(f.name());
            }
        }
        assertThat(actual).as("fields of %s: %s", path, json).containsAll(required);
        assertThat(allowed).as("fields of %s: %s", path, json).containsAll(actual);
        for (Field f : fields) {
            JsonNode v = json.get(f.name());
            if (v != null) {
                assertThat(f.types()).as("%s.%s is %s (%s)", path, f.name(), typeOf(v), v).contains(typeOf(v));
                if (f.name().endsWith("At") && v.isTextual()) {
                    // times are ISO-8601 instants (docs/CLI.md)
                    assertThat(java.time.Instant.parse(v.asText())).as("%s.%s", path, f.name()).isNotNull();
                }
            }
        }
    }

    /** {@link #check} for every element of the list field {@code list} of {@code json}, as {@code path .list[]}. */
    static void checkEach(String path, JsonNode json, String list) {
        for (JsonNode e : json.get(list)) {
            check(path + " ." + list + "[]", e);
        }
    }

    private static String typeOf(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isArray() ? "list" : "object";
    }
}
