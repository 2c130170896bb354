#!/bin/sh
# OCOP Market database backups: `pg_dump -Fc` into BACKUP_DIR, keeping the newest BACKUP_KEEP dumps.
#
#   deploy/backup.sh            one backup, then prune (cron on a plain host, or by hand)
#   deploy/backup.sh --loop     one backup every BACKUP_INTERVAL seconds, for ever (the compose
#                               `backup` service)
#
# Environment:
#   DATABASE_URL      postgres://user:password@host:5432/name (else libpq's PGHOST, PGUSER, PGDATABASE…)
#   BACKUP_DIR        where the dumps go (default /var/backups/ocop)
#   BACKUP_KEEP       how many dumps to keep, newest first (default 14)
#   BACKUP_INTERVAL   seconds between two backups with --loop (default 86400: daily)
#   BACKUP_PREFIX     file name prefix (default ocop): <prefix>-<UTC time>.dump
#
# Cron on a plain host, daily at 02:30 (the user needs pg_dump and a ~/.pgpass or DATABASE_URL):
#   30 2 * * *  DATABASE_URL=postgres://ocop@127.0.0.1:5432/ocop /srv/ocop/deploy/backup.sh >>/var/log/ocop-backup.log 2>&1
# Restore one: pg_restore --clean --if-exists --no-owner -d <database> <file>.dump (README "Restore").
set -eu

BACKUP_DIR=${BACKUP_DIR:-/var/backups/ocop}
BACKUP_KEEP=${BACKUP_KEEP:-14}
BACKUP_INTERVAL=${BACKUP_INTERVAL:-86400}
BACKUP_PREFIX=${BACKUP_PREFIX:-ocop}

case "$BACKUP_KEEP" in ''|*[!0-9]*) echo "backup: BACKUP_KEEP must be a whole number (got '$BACKUP_KEEP')" >&2; exit 2;; esac
if [ "$BACKUP_KEEP" -lt 1 ]; then echo "backup: BACKUP_KEEP must be at least 1" >&2; exit 2; fi

backup_once() {
    mkdir -p "$BACKUP_DIR"
    base="$BACKUP_PREFIX-$(date -u +%Y%m%dT%H%M%SZ)"
    name=$base
    n=1
    while [ -e "$BACKUP_DIR/$name.dump" ]; do name="$base-$n"; n=$((n + 1)); done  # two in one second
    partial="$BACKUP_DIR/.$name.dump.partial"
    # Written under a hidden name and renamed when complete: a dump cut short (disk full, the
    # database gone) never counts as a backup, and never pushes a good one out.
    if [ -n "${DATABASE_URL:-}" ]; then
        pg_dump --format=custom --dbname="$DATABASE_URL" --file="$partial" || { rm -f "$partial"; return 1; }
    else
        pg_dump --format=custom --file="$partial" || { rm -f "$partial"; return 1; }
    fi
    mv "$partial" "$BACKUP_DIR/$name.dump"
    echo "backup: wrote $BACKUP_DIR/$name.dump ($(wc -c <"$BACKUP_DIR/$name.dump" | tr -d ' ') bytes)"
    prune
}

prune() {
    # Newest first by modification time; everything after the first BACKUP_KEEP goes.
    ls -1t "$BACKUP_DIR" | grep -E "^$BACKUP_PREFIX-[0-9TZ-]+\.dump$" | tail -n +"$((BACKUP_KEEP + 1))" |
        while read -r old; do
            rm -f "$BACKUP_DIR/$old"
            echo "backup: removed $BACKUP_DIR/$old (keeping $BACKUP_KEEP)"
        done
}

if [ "${1:-}" = "--loop" ]; then
    echo "backup: every $BACKUP_INTERVAL s into $BACKUP_DIR, keeping $BACKUP_KEEP"
    while :; do
        backup_once || echo "backup: FAILED at $(date -u +%Y-%m-%dT%H:%M:%SZ); next try in $BACKUP_INTERVAL s" >&2
        sleep "$BACKUP_INTERVAL"
    done
fi
backup_once
