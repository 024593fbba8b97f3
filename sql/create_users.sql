-- Heroes in Waiting: the logins of DESIGN.md section 3, run by a superuser after bootstrap.sql.
-- Re-runnable: an existing login is brought to the right attributes, never duplicated.
-- Passwords come from psql variables, never from this file; a variable left out keeps the
-- login's current password:
--
--   psql -d heroes_in_waiting -v app_password="$APP_PW" -v backup_password="$BACKUP_PW" -f create_users.sql
--
-- Variables: owner_password, app_password, readonly_password, backup_password, analytics_password.
\set ON_ERROR_STOP on
\if :{?owner_password}
\else
\set owner_password ''
\endif
\if :{?app_password}
\else
\set app_password ''
\endif
\if :{?readonly_password}
\else
\set readonly_password ''
\endif
\if :{?backup_password}
\else
\set backup_password ''
\endif
\if :{?analytics_password}
\else
\set analytics_password ''
\endif

CALL heroes_admin.create_users(
    owner_password => :'owner_password',
    app_password => :'app_password',
    readonly_password => :'readonly_password',
    backup_password => :'backup_password',
    analytics_password => :'analytics_password');
