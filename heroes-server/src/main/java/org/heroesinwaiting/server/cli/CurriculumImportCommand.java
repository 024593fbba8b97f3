package org.heroesinwaiting.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.core.curriculum.InvalidCurriculumException;
import org.heroesinwaiting.core.curriculum.ManifestProblem;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes curriculum import <file> [--content-dir DIR]}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Validates a curriculum manifest whole (and its files, against the content directory), then applies it in one",
            "transaction: the same file twice changes nothing; a changed file updates in place; a removed item is deleted, or",
            "retired when progress refers to it. Every problem is reported with its JSON path, and then nothing changes."})
public final class CurriculumImportCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the manifest (JSON, format 1)")
    private Path file;

    @Option(names = "--content-dir", paramLabel = "DIR",
            description = "where the manifest's files are (default: HEROES_CONTENT_DIR, else content/ in the data directory)")
    private Path contentDir;

    CurriculumImportCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        ServerConfig settings = config.get();
        byte[] manifest;
        try {
            manifest = Files.readAllBytes(file);
        } catch (IOException e) {
            spec.commandLine().getErr().println("heroes: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        Path content = contentDir != null ? contentDir : HeroesServer.contentDir(settings);
        try (CommandLibrary library = CommandLibrary.open(settings)) {
            ImportReport report = library.heroes().curriculum()
                    .importFile(ActorContext.system(null), manifest, content);
            spec.commandLine().getOut().println("imported " + file + ": " + report);
            return 0;
        } catch (InvalidCurriculumException e) {
            spec.commandLine().getErr().println("heroes: " + file + " was not imported; nothing changed. "
                    + e.problems().size() + " problem(s):");
            for (ManifestProblem problem : e.problems()) {
                spec.commandLine().getErr().println("  " + problem);
            }
            return 1;
        }
    }
}
