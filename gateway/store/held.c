/*
 * Messages a restore held back (backup.c, store_restore): what the backup
 * still had to send, which may have gone out between the backup and the
 * failure. Staff list them, and drop them or send them again, one by one
 * or (drop) all at once. Not the hot path: each call prepares its own
 * statement.
 */
#include <sqlite3.h>

#include "store/sql.h"
#include "store/store.h"
#include "store/store_int.h"

int
store_held_list(struct store *st, int64_t after, int limit,
    store_held_cb cb, void *arg)
{
	sqlite3_stmt	*s;
	struct store_held h;
	int		 n = 0;

	if (sqlite3_prepare_v2(store_db(st), "SELECT id, msisdn, text, kind, "
	    "created_at FROM outbound WHERE state = 'held' AND id > ?1 "
	    "ORDER BY id LIMIT ?2", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	while (sqlite3_step(s) == SQLITE_ROW) {
		h.id = sqlite3_column_int64(s, 0);
		h.msisdn = (const char *)sqlite3_column_text(s, 1);
		h.text = (const char *)sqlite3_column_text(s, 2);
		h.kind = (const char *)sqlite3_column_text(s, 3);
		h.created_at = sqlite3_column_int64(s, 4);
		cb(&h, arg);
		n++;
	}
	sqlite3_finalize(s);
	return n;
}

/* Held row id (0: all of them) set to state; the rows changed, or -1. */
int64_t
store_held_set(struct store *st, int64_t id, const char *state)
{
	sqlite3_stmt	*s;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(store_db(st), "UPDATE outbound SET state = ?2 "
	    "WHERE state = 'held' AND (id = ?1 OR ?1 = 0)", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	if (store_write(st, s) == 0)
		n = sqlite3_changes(store_db(st));
	sqlite3_finalize(s);
	return n;
}
