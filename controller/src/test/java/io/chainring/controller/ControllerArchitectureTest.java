package io.chainring.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The controller's domain (plans, moves, repair, state) speaks its own types, not the wire's: only the
 * admin service ({@code controller.admin}) translates to and from Thrift (issue 11 §2). Violations
 * that exist today are frozen in {@code src/test/resources/archunit-store}: a new one fails, a fixed
 * one leaves the store.
 */
@AnalyzeClasses(packages = "io.chainring.controller", importOptions = ImportOption.DoNotIncludeTests.class)
class ControllerArchitectureTest {
    @ArchTest
    static final ArchRule onlyTheAdminServiceSpeaksTheWire = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("io.chainring.controller..")
            .and().resideOutsideOfPackage("io.chainring.controller.admin..")
            .should().dependOnClassesThat().resideInAPackage("io.chainring.thrift.."));
}
