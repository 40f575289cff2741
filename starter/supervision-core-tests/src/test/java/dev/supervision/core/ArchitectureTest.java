package dev.supervision.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The core's layering (STYLE.md, Structure), checked on its main classes: those of this module's
 * own tests, which share the core's packages, are left out.
 */
final class ArchitectureTest {
  /* The core runtime's main classes. */
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages("dev.supervision.core");

  /* The published modules on this module's classpath: the core and the test kit built on it. */
  private static final JavaClasses PUBLISHED =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages("dev.supervision");

  @Nested
  final class Dependencies {

    @Test
    void coreImportsNothingFromSpringMicrometerOrJackson() {
      noClasses()
          .that()
          .resideInAPackage("dev.supervision.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..", "io.micrometer..", "com.fasterxml..", "tools.jackson..")
          .because("the core runtime is plain Java with no runtime dependencies")
          .check(CORE);
    }

    @Test
    void onlyTheCoreTouchesItsInternalPackage() {
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.supervision.core..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.supervision.core.internal..")
          .because("dev.supervision.core.internal is what users must not touch")
          .check(PUBLISHED);
    }
  }

  @Nested
  final class Packages {

    @Test
    void coreConceptPackagesHaveNoCycles() {
      slices()
          .matching("dev.supervision.core.(*)..")
          .should()
          .beFreeOfCycles()
          .because("each core package is one concept, layered on those below it")
          .check(CORE);
    }
  }

  @Nested
  final class TheImport {

    @Test
    void holdsTheCoresMainClassesAndNotThisModulesTests() {
      assertThat(CORE.containPackage("dev.supervision.core.server")).isTrue();
      assertThat(CORE.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void holdsTheTestKitBesideTheCoreSoThatTheInternalRuleChecksSomething() {
      assertThat(PUBLISHED.containPackage("dev.supervision.test")).isTrue();
      assertThat(PUBLISHED.contain(ArchitectureTest.class)).isFalse();
    }
  }
}
