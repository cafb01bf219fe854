package io.arqonbus.cli.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** No package of this module's main code imports another that imports it back. */
class PackageCyclesTest {
    @Test
    void noPackageCycles() {
        slices().matching("io.arqonbus.(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.arqonbus.cli"));
    }
}
