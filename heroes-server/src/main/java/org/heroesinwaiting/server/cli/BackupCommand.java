package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes backup}. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Backups recorded in backup_log: logical with pg_dump into HEROES_BACKUP_DIR (default <data dir>/backups), and",
            "physical with pgBackRest when it is installed. run makes one, list shows the latest, verify proves one by a restore",
            "drill, cleanup deletes what is past its class, archive-command prints the WAL archiving lines for postgresql.conf."})
public final class BackupCommand {
}
