package org.heroesinwaiting.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.heroesinwaiting.server.cli.ConfigSource;
import org.heroesinwaiting.server.cli.HeroesCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README and the docs tree stay true: every Java block is code that compiles in this
 * repository, every command names a program, a file, a class or a subcommand that exists, every
 * link leads somewhere, and the API page names exactly the routes of the contract.
 */
class DocsTest {

    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Set<String> PROGRAMS = Set.of("./heroes", "mvn", "java", "psql", "createdb", "cd", "crontab", "wrk", "curl",
            "apt-get", "export", "pg_dump", "pg_restore", "unzip");

    private static List<Path> pages;
    private static List<String> sources;

    @BeforeAll
    static void read() throws IOException {
        List<Path> found = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("heroes-bench/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(found::add);
        }
        pages = found;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/") && !p.toString().contains("/target/"))
                    .map(DocsTest::readQuietly).map(DocsTest::normalise).toList();
        }
    }

    @Test
    void thereAreDocsAndTheReadmeFitsOnAFewScreens() throws IOException {
        assertThat(pages).extracting(p -> ROOT.relativize(p).toString())
                .contains("docs/library.md", "docs/operations.md", "docs/http-api.md", "docs/testkit.md", "docs/configuration.md");
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThan(120);
    }

    @Test
    void everyJavaBlockIsCodeThatCompilesHere() {
        List<String> missing = new ArrayList<>();
        int blocks = 0;
        for (Path page : pages) {
            for (String[] block : blocks(page)) {
                if (block[0].equals("java")) {
                    blocks++;
                    String wanted = normalise(block[1]);
                    if (sources.stream().noneMatch(source -> source.contains(wanted))) {
                        missing.add(ROOT.relativize(page) + ":\n" + block[1]);
                    }
                }
            }
        }
        assertThat(blocks).isGreaterThanOrEqualTo(3);
        assertThat(missing).as("Java blocks found in no source file").isEmpty();
    }

    @Test
    void everyCommandNamesWhatExists() {
        CommandLine heroes = HeroesCommand.commandLine(new ConfigSource(() -> {
            throw new IllegalStateException("no configuration in this test");
        }));
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Path page : pages) {
            Path folder = ROOT; // a page is read top to bottom: a cd holds for its later blocks
            for (String[] block : blocks(page)) {
                if (!block[0].equals("bash")) {
                    continue;
                }
                for (String line : block[1].replace("\\\n", " ").split("\n")) {
                    String command = line.strip();
                    if (command.isEmpty() || command.startsWith("#")) {
                        continue;
                    }
                    commands++;
                    List<String> words = List.of(command.split("\\s+"));
                    String where = ROOT.relativize(page) + ": " + command;
                    if (!PROGRAMS.contains(words.get(0))) {
                        problems.add(where + ": unknown program " + words.get(0));
                    } else if (words.get(0).equals("cd")) {
                        folder = ROOT.resolve(words.get(1));
                        if (!Files.isDirectory(folder)) {
                            problems.add(where + ": no folder " + words.get(1));
                        }
                    } else if (words.get(0).equals("./heroes")) {
                        checkSubcommand(heroes, words.subList(1, words.size()), where, problems);
                    } else if (words.get(0).equals("psql") && words.contains("-f")) {
                        String file = words.get(words.indexOf("-f") + 1);
                        if (!Files.isRegularFile(folder.resolve(file))) {
                            problems.add(where + ": no file " + file + " in " + ROOT.relativize(folder));
                        }
                    } else if (words.get(0).equals("java") && words.contains("-cp")) {
                        String main = words.get(words.indexOf("-cp") + 2);
                        if (sources.stream().noneMatch(s -> s.contains("package " + main.substring(0, main.lastIndexOf('.')) + ";")
                                && s.contains("class " + main.substring(main.lastIndexOf('.') + 1) + " "))) {
                            problems.add(where + ": no class " + main);
                        }
                    } else if (words.get(0).equals("mvn") && words.contains("-pl")) {
                        for (String module : words.get(words.indexOf("-pl") + 1).split(",")) {
                            if (!Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml"))) {
                                problems.add(where + ": no module " + module);
                            }
                        }
                    }
                }
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(5);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyLinkLeadsToAFileAndEveryAnchorToAHeading() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = withoutCode(readQuietly(page));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theApiPageNamesExactlyTheRoutesOfTheContract() throws IOException {
        Set<String> contract = new TreeSet<>();
        Matcher path = Pattern.compile("(?m)^  (/\\S*):$").matcher(
                Files.readString(ROOT.resolve("heroes-server/src/main/resources/org/heroesinwaiting/server/openapi.yaml")));
        while (path.find()) {
            contract.add(path.group(1));
        }
        String page = readQuietly(ROOT.resolve("docs/http-api.md"));
        Set<String> documented = new TreeSet<>();
        Matcher route = Pattern.compile("(?:GET|POST|PATCH|PUT|DELETE)`?,? `?(?:(?:GET|POST|PATCH|PUT|DELETE) )?(/[A-Za-z0-9_./{}-]+)").matcher(page);
        while (route.find()) {
            documented.add(route.group(1));
        }

        assertThat(contract).hasSizeGreaterThan(30);
        assertThat(contract).allMatch(page::contains, "named on the API page");
        assertThat(documented).isSubsetOf(contract);
    }

    private static void checkSubcommand(CommandLine heroes, List<String> words, String where, List<String> problems) {
        CommandLine current = heroes;
        for (String word : words) {
            if (word.startsWith("-") || word.startsWith("<") || !current.getSubcommands().containsKey(word)) {
                if (current == heroes && !word.startsWith("-")) {
                    problems.add(where + ": no command " + word);
                }
                return;
            }
            current = current.getSubcommands().get(word);
        }
    }

    /** @return each fenced block's language and text */
    private static List<String[]> blocks(Path page) {
        List<String[]> blocks = new ArrayList<>();
        Matcher block = BLOCK.matcher(readQuietly(page));
        while (block.find()) {
            blocks.add(new String[] {block.group(1), block.group(2)});
        }
        return blocks;
    }

    private static Set<String> anchors(Path page) {
        return readQuietly(page).lines().filter(line -> line.matches("#{1,6} .*"))
                .map(line -> line.replaceFirst("#{1,6} ", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    private static String withoutCode(String text) {
        return BLOCK.matcher(text).replaceAll("").replaceAll("`[^`\\n]*`", "");
    }

    /** Leading and trailing spaces of each line and blank lines do not count. */
    private static String normalise(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
