package io.chainring.testing;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Repeats, at the end of a test run, how many browser tests were skipped for want of a browser, so
 * that the notice is not lost among the other tests' output. Registered through
 * {@code META-INF/services}.
 */
public final class SkippedBrowserTestsReport implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        int tests = BrowserCondition.SKIPPED_TESTS.getAndSet(0);
        int classes = BrowserCondition.SKIPPED_CLASSES.getAndSet(0);
        if (tests > 0 || classes > 0) {
            System.err.printf("%n*** WARNING: %d browser test(s) in %d class(es) were SKIPPED: no Chromium/chromedriver"
                    + " found. Install Debian's chromium and chromium-driver to run them. ***%n%n", tests, classes);
        }
    }
}
