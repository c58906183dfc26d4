/*
 * Erasure on request (issue 15, Law 91/2025): one number's personal data
 * removed everywhere, in the caller's transaction. Rows that reports count
 * (messages, cases) stay, without the person: the number, the text, the
 * name and the request become empty, so past periods' figures do not
 * change. Rows that only hold the person (contact, groups, the inbox
 * thread, failed look-ups, unfinished long messages, pending broadcast
 * recipients) go. What was still to be sent to the number is dropped.
 * The opt-out stays: a refusal must outlive the erasure.
 */
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_int.h"

static const struct {
	const char	*sql;
	int		 counted;	/* into which store_erased field, or -1 */
} erase_steps[] = {
	{ "UPDATE outbound SET state = 'dropped' WHERE msisdn = ?1 AND "
	  "state IN ('queued', 'held')", -1 },
	/* not yet handled (a store outage): never handled, once empty */
	{ "UPDATE inbound SET state = 'done' WHERE msisdn = ?1 AND "
	  "state = 'new'", -1 },
	{ "UPDATE inbound SET msisdn = '', text = '' WHERE msisdn = ?1", 0 },
	{ "UPDATE outbound SET msisdn = '', text = '' WHERE msisdn = ?1", 1 },
	{ "UPDATE cases SET msisdn = '', name = '', request = '' "
	  "WHERE msisdn = ?1", 2 },
	{ "DELETE FROM contact_groups WHERE msisdn = ?1", -1 },
	{ "DELETE FROM contacts WHERE msisdn = ?1", 3 },
	{ "DELETE FROM broadcast_recipients WHERE msisdn = ?1 AND "
	  "state = 'pending'", 4 },
	{ "UPDATE broadcast_recipients SET msisdn = 'erased:' || id, "
	  "name = '', code = '' WHERE msisdn = ?1", -1 },
	{ "DELETE FROM inbound_part WHERE msisdn = ?1", -1 },
	{ "DELETE FROM lookup_fail WHERE msisdn = ?1", -1 },
	{ "DELETE FROM inbox WHERE msisdn = ?1", -1 },
	{ "UPDATE import_rows SET msisdn = '', name = '', notify_to = NULL, "
	  "sms = NULL WHERE msisdn = ?1 OR notify_to = ?1", -1 },
};

int
store_privacy_erase(struct store *st, const char *msisdn,
    struct store_erased *n)
{
	int64_t		*field[] = { &n->inbound, &n->outbound, &n->cases,
			    &n->contacts, &n->pending };
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < sizeof(erase_steps) / sizeof(erase_steps[0]); i++) {
		if (sqlite3_prepare_v2(store_db(st), erase_steps[i].sql, -1, &s,
		    NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_text(s, 1, msisdn, -1, SQLITE_TRANSIENT);
		if (store_write(st, s) == -1) {
			sqlite3_finalize(s);
			return -1;
		}
		if (erase_steps[i].counted >= 0)
			*field[erase_steps[i].counted] =
			    sqlite3_changes(store_db(st));
		sqlite3_finalize(s);
	}
	return 0;
}
