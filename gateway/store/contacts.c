/*
 * The contact book: who a number is (contacts) and the groups staff send
 * broadcasts to. Imports and the admin API write it; broadcasts expand
 * groups in SQL (store/broadcasts.c). Statements are prepared per call:
 * the book changes at staff pace, not at SMS pace. Every write runs
 * inside the caller's transaction.
 */
#include <sqlite3.h>

#include "store/cases.h"
#include "store/contacts.h"
#include "store/sql.h"

static const char who[] = "contacts";	/* in log lines */

/* The statement on the case store's connection, or NULL (logged). */
static sqlite3_stmt *
contact_prep(struct case_store *cs, const char *sql)
{
	return sql_once(case_store_db(cs), sql, who);
}

/*
 * Runs sql with the texts a and b (NULL: none) as ?1 and ?2, each row
 * through row (NULL: none); the rows, or -1 (logged).
 */
static int
contact_query(struct case_store *cs, const char *sql, const char *a,
    const char *b, void (*row)(sqlite3_stmt *, int, void *), void *arg)
{
	sqlite3_stmt	*s;

	if ((s = contact_prep(cs, sql)) == NULL)
		return -1;
	sql_text(s, 1, a);
	if (b != NULL)
		sql_text(s, 2, b);
	return sql_each(who, s, row, arg);
}

/* Creates or updates a contact; name NULL keeps the name it has. */
int
contact_upsert(struct case_store *cs, const char *msisdn, const char *name,
    int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = contact_prep(cs, "INSERT INTO contacts(msisdn, name, "
	    "updated_at) VALUES (?1, coalesce(?2, ''), ?3) ON CONFLICT(msisdn) "
	    "DO UPDATE SET name = coalesce(?2, name), updated_at = ?3")) == NULL)
		return -1;
	sql_text(s, 1, msisdn);
	if (name)
		sql_text(s, 2, name);
	sqlite3_bind_int64(s, 3, now);
	return sql_finish(who, s);
}

static void
contact_row(sqlite3_stmt *s, int n, void *arg)
{
	struct contact	*c = arg;

	(void)n;
	sql_col(s, 0, c->msisdn, sizeof(c->msisdn));
	sql_col(s, 1, c->name, sizeof(c->name));
}

/* 1 found, 0 not, -1 error. */
int
contact_get(struct case_store *cs, const char *msisdn, struct contact *out)
{
	return contact_query(cs, "SELECT msisdn, name FROM contacts WHERE "
	    "msisdn = ?1", msisdn, NULL, contact_row, out);
}

/* Makes the contact's groups exactly these (creating groups as needed). */
int
contact_set_groups(struct case_store *cs, const char *msisdn,
    const char *const *groups, size_t n)
{
	size_t	i;

	if (contact_query(cs, "DELETE FROM contact_groups WHERE msisdn = ?1",
	    msisdn, NULL, NULL, NULL) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (contact_query(cs, "INSERT OR IGNORE INTO groups(name) "
		    "VALUES (?1)", groups[i], NULL, NULL, NULL) == -1 ||
		    contact_query(cs, "INSERT OR IGNORE INTO contact_groups("
		    "msisdn, group_id) SELECT ?1, id FROM groups WHERE name = ?2",
		    msisdn, groups[i], NULL, NULL) == -1)
			return -1;
	return 0;
}

/* A callback and its argument, for the row functions below. */
struct contact_cb {
	void	(*name)(const char *, void *);
	void	(*contact)(const struct contact *, void *);
	void	 *arg;
};

static void
contact_group_row(sqlite3_stmt *s, int n, void *arg)
{
	const struct contact_cb	*cb = arg;
	const unsigned char	*v = sqlite3_column_text(s, 0);

	(void)n;
	cb->name(v ? (const char *)v : "", cb->arg);
}

/* Calls cb with the name of each group of a contact; the count or -1. */
int
contact_groups_each(struct case_store *cs, const char *msisdn,
    void (*cb)(const char *, void *), void *arg)
{
	struct contact_cb	c = { cb, NULL, arg };

	return contact_query(cs, "SELECT g.name FROM contact_groups cg JOIN "
	    "groups g ON g.id = cg.group_id WHERE cg.msisdn = ?1 ORDER BY "
	    "g.name", msisdn, NULL, contact_group_row, &c);
}

/* Where a row function writes text column 0. */
struct contact_text {
	char	*out;
	size_t	 cap;
};

static void
contact_text_row(sqlite3_stmt *s, int n, void *arg)
{
	const struct contact_text	*t = arg;

	(void)n;
	sql_col(s, 0, t->out, t->cap);
}

/*
 * Finds a group (names compare without regard to ASCII case) and writes
 * its name as first written; 1 found, 0 not, -1 error.
 */
int
group_find(struct case_store *cs, const char *name, char *out, size_t cap)
{
	struct contact_text	t = { out, cap };

	return contact_query(cs, "SELECT name FROM groups WHERE name = ?1",
	    name, NULL, contact_text_row, &t);
}

static void
contact_member_row(sqlite3_stmt *s, int n, void *arg)
{
	const struct contact_cb	*cb = arg;
	struct contact		 c;

	contact_row(s, n, &c);
	cb->contact(&c, cb->arg);
}

/* Calls cb for each member of a group, by number; the count or -1. */
int
group_members_each(struct case_store *cs, const char *name,
    contact_each_cb cb, void *arg)
{
	struct contact_cb	c = { NULL, cb, arg };

	return contact_query(cs, "SELECT c.msisdn, c.name FROM groups g "
	    "JOIN contact_groups cg ON cg.group_id = g.id "
	    "JOIN contacts c ON c.msisdn = cg.msisdn "
	    "WHERE g.name = ?1 ORDER BY c.msisdn", name, NULL,
	    contact_member_row, &c);
}
