/*
 * What the store room's files share and no other room sees: store.c's
 * batch state, for the files that write inside its batches, and the
 * message tables' own state (messages.c), opened and closed with the
 * connection.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <stdint.h>

#include <sqlite3.h>

struct store;
struct store_backup;
struct store_msgs;

/* store.c */
/* Steps a prepared write (sql_exec); a failure poisons the open batch. */
int		 store_write(struct store *, sqlite3_stmt *);
/* An outbound row was written: the commit hook runs once it is on disk. */
void		 store_queued(struct store *);
void		 store_inbound_written(struct store *, int64_t id);
struct store_msgs *store_msgs(struct store *);
const char	*store_path(const struct store *);
/* The database's lock (flock on DB.lock): its fd, or -1 when held. */
int		 store_lock(const char *db);
struct store_backup *store_backup_state(struct store *);

/* backup.c */
struct store_backup *store_backup_new(void);
void		 store_backup_free(struct store_backup *);

/* messages.c */
/* Prepares the message statements on db; NULL (logged) on failure. */
struct store_msgs *msgs_open(struct store *, sqlite3 *db);
void		 msgs_close(struct store_msgs *);

#endif
