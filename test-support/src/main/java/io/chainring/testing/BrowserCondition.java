package io.chainring.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.util.ReflectionUtils;

/**
 * Decides once per {@link BrowserTest} class whether it runs: it runs when {@link Browser#find()}
 * finds a browser, fails when none is found but one is required, and is skipped otherwise. Skipped
 * tests are counted for {@link SkippedBrowserTestsReport}.
 */
public final class BrowserCondition implements ExecutionCondition {
    /** System property that makes a missing browser a failure. */
    public static final String REQUIRE_PROPERTY = "chainring.requireBrowser";
    /** Environment variable that makes a missing browser a failure ({@code .ci/run} exports it). */
    public static final String REQUIRE_ENV = "CHAINRING_REQUIRE_BROWSER";

    static final AtomicInteger SKIPPED_TESTS = new AtomicInteger();
    static final AtomicInteger SKIPPED_CLASSES = new AtomicInteger();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        if (Browser.find().isPresent()) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver found");
        }
        String why = "no Chromium/chromedriver on the PATH (Debian: apt-get install chromium chromium-driver)";
        if (required()) {
            throw new ExtensionConfigurationException("browser tests are required here (" + REQUIRE_PROPERTY
                    + "=true or " + REQUIRE_ENV + "=true) but there is " + why);
        }
        Class<?> testClass = context.getRequiredTestClass();
        int tests = countTests(testClass);
        SKIPPED_TESTS.addAndGet(tests);
        SKIPPED_CLASSES.incrementAndGet();
        System.err.printf("%n*** SKIPPED %d browser test(s) of %s: %s ***%n%n", tests, testClass.getSimpleName(), why);
        return ConditionEvaluationResult.disabled("SKIPPED: " + why);
    }

    static boolean required() {
        return isTrue(System.getProperty(REQUIRE_PROPERTY)) || isTrue(System.getenv(REQUIRE_ENV));
    }

    private static boolean isTrue(String value) {
        return value != null && (value.isEmpty() || value.toLowerCase(Locale.ROOT).equals("true"));
    }

    private static int countTests(Class<?> testClass) {
        return ReflectionUtils.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, org.junit.platform.commons.annotation.Testable.class)).size();
    }
}
