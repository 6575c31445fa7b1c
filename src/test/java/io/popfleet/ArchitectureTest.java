package io.popfleet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.popfleet.ops.OperationCall;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md, checked over the compiled classes so a new cycle fails the build
 * instead of waiting for a review. Feature packages are the first segment under {@code io.popfleet}:
 * {@code inventory.importing} belongs to {@code inventory}.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importTheControllersClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.popfleet");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.popfleet.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void onlyWebDependsOnWeb() {
        noClasses().that().resideOutsideOfPackage("io.popfleet.web..").should().dependOnClassesThat()
                .resideInAPackage("io.popfleet.web..")
                .because("pages sit on top of the features; a feature reaches users through api types only")
                .check(main);
    }

    @Test
    void apiAndDatabaseDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("io.popfleet.api..", "io.popfleet.database..").should()
                .dependOnClassesThat(resideInAPackage("io.popfleet..")
                        .and(not(resideInAnyPackage("io.popfleet.api..", "io.popfleet.database.."))))
                .because("every feature may use them, so they must not pull any feature in")
                .check(main);
    }

    @Test
    void theCommandLineStandsAlone() {
        noClasses().that().resideInAPackage("io.popfleet.cli..").should()
                .dependOnClassesThat(resideInAPackage("io.popfleet..").and(not(resideInAPackage("io.popfleet.cli.."))))
                .orShould().dependOnClassesThat(resideInAnyPackage("io.quarkus..", "jakarta..", "org.jboss.."))
                .because("the cli jar carries only io.popfleet.cli, picocli and Jackson; it talks to the controller"
                        + " over its REST API")
                .check(main);
        noClasses().that().resideOutsideOfPackage("io.popfleet.cli..").should().dependOnClassesThat()
                .resideInAPackage("io.popfleet.cli..").because("the controller does not run its own client")
                .check(main);
    }

    @Test
    void onlyTheCatalogMakesOperationCalls() {
        noClasses().that().resideOutsideOfPackage("io.popfleet.ops..").should().callConstructor(OperationCall.class,
                String.class, java.util.List.class, boolean.class)
                .because("an OperationCall promises its arguments passed the catalog's rules").check(main);
    }
}
