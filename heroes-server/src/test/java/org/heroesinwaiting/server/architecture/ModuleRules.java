package org.heroesinwaiting.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The module boundaries of DESIGN.md section 2 as ArchUnit rules, for the modules under a root
 * package ({@code org.heroesinwaiting} in production; a fixture root in the test that proves the
 * rules catch violations).
 */
final class ModuleRules {

    /** Each module and the modules it may use. Nobody may use server or bench. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("core", Set.of());
        ALLOWED.put("sql", Set.of("core"));
        ALLOWED.put("persistence", Set.of("core", "sql"));
        ALLOWED.put("retention", Set.of("core", "persistence"));
        ALLOWED.put("testkit", Set.of("core", "sql"));
        ALLOWED.put("server", Set.of("core", "sql", "persistence", "retention"));
        ALLOWED.put("bench", Set.of("core", "sql", "persistence", "retention", "testkit"));
    }

    /** Third-party packages and the only modules that may use them. */
    static final Map<String, Set<String>> LIBRARIES = Map.of(
            "io.javalin..", Set.of("server"),
            "org.flywaydb..", Set.of("sql"),
            "org.junit..", Set.of("testkit"),
            "org.testcontainers..", Set.of("testkit"),
            "io.zonky..", Set.of("testkit", "server"));

    private ModuleRules() {
    }

    static List<ArchRule> all(String root) {
        List<ArchRule> rules = new ArrayList<>();
        rules.addAll(moduleDependencies(root));
        rules.addAll(libraries(root));
        rules.addAll(internalPackages(root));
        return rules;
    }

    static List<ArchRule> moduleDependencies(String root) {
        List<ArchRule> rules = new ArrayList<>();
        ALLOWED.forEach((module, allowed) -> {
            String[] forbidden = ALLOWED.keySet().stream()
                    .filter(other -> !other.equals(module) && !allowed.contains(other))
                    .map(other -> root + "." + other + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(root + "." + module + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(module + " uses only " + (allowed.isEmpty() ? "no other module" : allowed))
                    .allowEmptyShould(true));
        });
        return rules;
    }

    static List<ArchRule> libraries(String root) {
        List<ArchRule> rules = new ArrayList<>();
        LIBRARIES.forEach((library, users) -> {
            String[] others = ALLOWED.keySet().stream()
                    .filter(module -> !users.contains(module))
                    .map(module -> root + "." + module + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAnyPackage(others)
                    .should().dependOnClassesThat().resideInAPackage(library)
                    .as(library + " is used only in " + users)
                    .allowEmptyShould(true));
        });
        return rules;
    }

    static List<ArchRule> internalPackages(String root) {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : ALLOWED.keySet()) {
            rules.add(noClasses().that().resideOutsideOfPackage(root + "." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + "." + module + ".internal..")
                    .as(module + ".internal is private to " + module)
                    .allowEmptyShould(true));
        }
        return rules;
    }
}
