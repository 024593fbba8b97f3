package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes analytics}. */
@Command(name = "analytics", mixinStandardHelpOptions = true,
        description = {"Analytics that never expose a child: rollups of counts that the views heroes_analytics reads are computed",
            "from. refresh recomputes the rollups (the server does it nightly)."})
public final class AnalyticsCommand {
}
