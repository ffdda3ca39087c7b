package io.chainring.datanode;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The datanode's layering (issue 11 §2): the replication protocol is free of transport, ZooKeeper and
 * storage-engine types, and storage is free of the wire. Violations that exist today are frozen in
 * {@code src/test/resources/archunit-store}: a new one fails, a fixed one leaves the store.
 */
@AnalyzeClasses(packages = "io.chainring.datanode", importOptions = ImportOption.DoNotIncludeTests.class)
class DatanodeArchitectureTest {
    @ArchTest
    static final ArchRule replicationIsFreeOfTheWire = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("io.chainring.datanode.replication..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chainring.thrift..", "org.apache.thrift.."));

    @ArchTest
    static final ArchRule replicationIsFreeOfZooKeeper = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("io.chainring.datanode.replication..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chainring.metadata..", "org.apache.curator..",
                    "org.apache.zookeeper.."));

    @ArchTest
    static final ArchRule replicationIsFreeOfJe = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("io.chainring.datanode.replication..")
            .should().dependOnClassesThat().resideInAPackage("com.sleepycat.."));

    @ArchTest
    static final ArchRule storageIsFreeOfTheWireAndZooKeeper = noClasses()
            .that().resideInAPackage("io.chainring.datanode.storage..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chainring.thrift..", "org.apache.thrift..",
                    "io.chainring.metadata..", "org.apache.curator..", "org.apache.zookeeper..");
}
