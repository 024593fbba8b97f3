package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes curriculum}. */
@Command(name = "curriculum", mixinStandardHelpOptions = true, description = "The 12-lesson curriculum: import a manifest.")
public final class CurriculumCommand {
}
