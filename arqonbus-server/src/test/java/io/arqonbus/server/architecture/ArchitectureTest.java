package io.arqonbus.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of the server, held by a test: no package imports another that imports it back,
 * the public API ({@code io.arqonbus.server} and its value packages) never names an internal type,
 * and internal packages import only the layers below them. docs/architecture.md draws the map.
 */
class ArchitectureTest {
    /** The server's main classes (tests are not part of the map). */
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.arqonbus.server");

    static final String[] API = {
            "io.arqonbus.server.config..", "io.arqonbus.server.casil..", "io.arqonbus.server.pattern..",
            "io.arqonbus.server.subscribe..", "io.arqonbus.server.status.."};

    @Test
    void noPackageCycles() {
        slices().matching("io.arqonbus.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theApiNamesNoInternalType() {
        noClasses().that().resideInAnyPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage("io.arqonbus.server.internal..")
                .because("embedders compile against the API packages only")
                .check(MAIN);
    }

    @Test
    void theCasilPolicyIsNoJsonTree() {
        noClasses().that().resideInAPackage("io.arqonbus.server.casil..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .because("a policy and its snapshot are typed values; op.casil.* writes the JSON")
                .check(MAIN);
    }

    @Test
    void nothingInternalReachesUpToTheFacade() {
        noClasses().that().resideInAnyPackage("io.arqonbus.server.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.arqonbus.server")
                .check(MAIN);
    }

    /**
     * The command seam (registry, dispatcher, context) sits below storage and the hub: it knows the
     * caller's session, the protocol and the foundation, and no feature, store, hub or route.
     */
    @Test
    void theCommandSeamIsALeaf() {
        String[] below = {"io.arqonbus.server.internal.command..", "io.arqonbus.server.internal.reply..",
                "io.arqonbus.server.internal.async..", "io.arqonbus.server.internal.channel..",
                "io.arqonbus.server.internal.metrics..", "io.arqonbus.server.internal.session..",
                "io.arqonbus.server.internal.auth..", "io.arqonbus.protocol..", "java..", "com.fasterxml.jackson..",
                "org.slf4j..", "io.netty.."};
        classes().that().resideInAPackage("io.arqonbus.server.internal.command..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        Stream.concat(Stream.of(below), Stream.of(API)).toArray(String[]::new))
                .because("each feature registers its own commands: the seam knows none of them")
                .check(MAIN);
    }

    @Test
    void theFacadeReachesTheInternalsOnlyThroughTheCompositionRoot() {
        noClasses().that().resideInAPackage("io.arqonbus.server")
                .should().dependOnClassesThat(resideInAPackage("io.arqonbus.server.internal..")
                        .and(resideOutsideOfPackages("io.arqonbus.server.internal.runtime..",
                                "io.arqonbus.server.internal.embed..")))
                .because("ArqonBus is a facade: the wiring lives in internal.runtime")
                .check(MAIN);
    }

    @Test
    void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(API)
                .layer("Foundation").definedBy("io.arqonbus.server.internal.async..",
                        "io.arqonbus.server.internal.channel..", "io.arqonbus.server.internal.reply..",
                        "io.arqonbus.server.internal.limits..", "io.arqonbus.server.internal.metrics..",
                        "io.arqonbus.server.internal.redis..", "io.arqonbus.server.internal.tracing..")
                .layer("Session").definedBy("io.arqonbus.server.internal.session..",
                        "io.arqonbus.server.internal.auth..", "io.arqonbus.server.internal.telemetry..")
                .layer("Command").definedBy("io.arqonbus.server.internal.command..")
                .layer("Storage").definedBy("io.arqonbus.server.internal.history..",
                        "io.arqonbus.server.internal.kv..")
                .layer("Hub").definedBy("io.arqonbus.server.internal.hub..")
                .layer("Features").definedBy("io.arqonbus.server.internal.inspect..",
                        "io.arqonbus.server.internal.webhook..", "io.arqonbus.server.internal.cron..",
                        "io.arqonbus.server.internal.omega..", "io.arqonbus.server.internal.presence..",
                        "io.arqonbus.server.internal.subscription..", "io.arqonbus.server.internal.events..",
                        "io.arqonbus.server.internal.embed..", "io.arqonbus.server.internal.system..",
                        "io.arqonbus.server.internal.cluster..")
                .layer("Edge").definedBy("io.arqonbus.server.internal.routing..",
                        "io.arqonbus.server.internal.transport..", "io.arqonbus.server.internal.tls..",
                        "io.arqonbus.server.internal.http..", "io.arqonbus.server.internal.httpapi..")
                .layer("Root").definedBy("io.arqonbus.server", "io.arqonbus.server.internal.config..",
                        "io.arqonbus.server.internal.runtime..")
                .whereLayer("Root").mayNotBeAccessedByAnyLayer()
                .whereLayer("Edge").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Edge", "Root")
                .whereLayer("Hub").mayOnlyBeAccessedByLayers("Features", "Edge", "Root")
                .whereLayer("Storage").mayOnlyBeAccessedByLayers("Hub", "Features", "Edge", "Root")
                .whereLayer("Command").mayOnlyBeAccessedByLayers("Storage", "Hub", "Features", "Edge", "Root")
                .whereLayer("Session").mayOnlyBeAccessedByLayers("Command", "Storage", "Hub", "Features", "Edge",
                        "Root")
                .whereLayer("Foundation").mayOnlyBeAccessedByLayers("Session", "Command", "Storage", "Hub",
                        "Features", "Edge", "Root")
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Foundation", "Session", "Command", "Storage", "Hub",
                        "Features", "Edge", "Root")
                .check(MAIN);
    }
}
