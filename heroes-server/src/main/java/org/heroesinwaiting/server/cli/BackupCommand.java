package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes backup}. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Logical backups with pg_dump into HEROES_BACKUP_DIR (default <data dir>/backups), recorded in backup_log:",
            "run makes one, list shows the latest, verify proves one by a restore drill, cleanup deletes what is past its class."})
public final class BackupCommand {
}
