package io.chainring.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that drives a real browser. Without Chromium and chromedriver on the machine its tests
 * are skipped with a loud, counted notice, so that {@code ./mvnw -B verify} passes on a fresh machine;
 * where a browser is required (CI: {@code CHAINRING_REQUIRE_BROWSER=true} or
 * {@code -Dchainring.requireBrowser=true}) a missing browser fails the class instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Tags.BROWSER)
@ExtendWith(BrowserCondition.class)
public @interface BrowserTest {}
