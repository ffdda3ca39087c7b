package io.chainring.ring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The ring model is pure: no wire types. {@code RingCodec} (ring ↔ Thrift) still lives here and is
 * frozen as a known violation in {@code src/test/resources/archunit-store} until it moves to a wire
 * module (issue 11 §2).
 */
@AnalyzeClasses(packages = "io.chainring.ring", importOptions = ImportOption.DoNotIncludeTests.class)
class RingArchitectureTest {
    @ArchTest
    static final ArchRule ringDoesNotDependOnTheWire = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("io.chainring.ring..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chainring.thrift..", "org.apache.thrift.."));
}
