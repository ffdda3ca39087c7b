package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@code chainring-client} (package {@code io.chainring.client}; {@code internal} is
 * not API) against the signature file committed in {@code api/chainring-client.api}, so that a change
 * to what users compile against is a visible, reviewed change of that file (japicmp replaces this
 * once there is a released baseline). After an intended change, rewrite the file with
 * {@code ./mvnw -B -pl smart-client -am verify -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dchainring.api.update=true} and commit it with the change.
 */
class PublicApiTest {
    private static final Path SIGNATURES = Path.of("api", "chainring-client.api");
    private static final String PACKAGE = "io.chainring.client";

    @Test
    void thePublicApiMatchesTheCommittedSignatureFile() throws Exception {
        String actual = String.join("\n", signatures()) + "\n";
        if (Boolean.getBoolean("chainring.api.update")) {
            Files.writeString(SIGNATURES, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(SIGNATURES, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("the public API of %s changed: review the difference; if intended, rewrite %s with "
                        + "-Dchainring.api.update=true and commit it", PACKAGE, SIGNATURES)
                .isEqualTo(expected);
    }

    private static List<String> signatures() throws Exception {
        List<String> lines = new ArrayList<>();
        for (Class<?> c : publicClasses()) {
            lines.add(header(c));
            Stream.of(c.getDeclaredConstructors(), c.getDeclaredMethods(), c.getDeclaredFields())
                    .flatMap(Arrays::stream)
                    .filter(m -> isApi(m.getModifiers()) && !m.isSynthetic()
                            && !(m instanceof Method method && method.isBridge()))
                    .map(PublicApiTest::signature)
                    .sorted()
                    .forEach(s -> lines.add("  " + s));
        }
        return lines;
    }

    private static String header(Class<?> c) {
        StringBuilder s = new StringBuilder(c.toGenericString());
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            s.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = c.getGenericInterfaces();
        if (interfaces.length > 0) {
            s.append(c.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    private static String signature(Member m) {
        if (m instanceof Field f) {
            return f.toGenericString();
        }
        if (m instanceof Constructor<?> k) {
            return k.toGenericString();
        }
        return ((Executable) m).toGenericString();
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every public top-level or nested class of the package, by name. */
    private static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(ChainringClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            names.addAll(classNames(location));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                names.addAll(classNames(jar.getPath("/")));
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names.stream().sorted().toList()) {
            Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            if (isVisible(c)) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!isApi(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(Path root) throws IOException {
        Path dir = root.resolve(PACKAGE.replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> PACKAGE + "." + n.substring(0, n.length() - ".class".length())).toList();
        }
    }
}
