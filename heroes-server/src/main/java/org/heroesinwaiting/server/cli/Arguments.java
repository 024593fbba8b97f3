package org.heroesinwaiting.server.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Reads an option's value into what the library takes; a value it refuses is a usage error (exit 2) naming the option. */
final class Arguments {

    private Arguments() {
    }

    static <T> T parse(CommandSpec spec, String option, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
