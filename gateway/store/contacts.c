/*
 * The contact book: who a number is (contacts) and the groups staff send
 * broadcasts to. Imports and the admin API write it; broadcasts expand
 * groups in SQL (store/broadcasts.c). Statements are prepared per call:
 * the book changes at staff pace, not at SMS pace. Every write runs
 * inside the caller's transaction.
 */
#include <string.h>

#include <sqlite3.h>

#include "log.h"

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

/*
 * Bulk imports: rows are staged, a chunk per request, in TEMP tables
 * (this connection's own, gone with the process: an import cut short
 * leaves nothing behind), then applied all at once in one transaction,
 * set-based, or not at all. Staging keeps one row per number, as rows
 * applied one by one would leave it: the last groups given and the last
 * name given win, so applying needs no sorting out.
 */
static const char import_schema[] =
	"CREATE TEMP TABLE IF NOT EXISTS import_run ("
	"  id INTEGER PRIMARY KEY, touched_at INTEGER NOT NULL,"
	"  rows INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0);"
	"CREATE TEMP TABLE IF NOT EXISTS import_contact ("
	"  import INTEGER NOT NULL, msisdn TEXT NOT NULL,"
	"  name TEXT,"				/* NULL: keep the old one */
	"  groups_given INTEGER NOT NULL,"	/* else keep the old ones */
	"  PRIMARY KEY (import, msisdn));"
	"CREATE TEMP TABLE IF NOT EXISTS import_group ("
	"  import INTEGER NOT NULL, msisdn TEXT NOT NULL, grp TEXT NOT NULL,"
	"  UNIQUE (import, msisdn, grp COLLATE NOCASE));";

/* The statements staging and applying run, prepared per request. */
static const char *const import_sql[] = {
	/* staging: one row */
	"INSERT INTO import_contact(import, msisdn, name, groups_given) "
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT(import, msisdn) DO UPDATE SET "
	"name = coalesce(excluded.name, name), groups_given = groups_given OR "
	"excluded.groups_given",
	"DELETE FROM import_group WHERE import = ?1 AND msisdn = ?2",
	"INSERT OR IGNORE INTO import_group(import, msisdn, grp) "
	"VALUES (?1, ?2, ?3)",
	/* applying */
	"INSERT OR IGNORE INTO groups(name) SELECT grp FROM import_group "
	"WHERE import = ?1 ORDER BY rowid",
	"INSERT INTO contacts(msisdn, name, updated_at) SELECT msisdn, "
	"coalesce(name, (SELECT name FROM contacts c WHERE c.msisdn = "
	"i.msisdn), ''), ?2 FROM import_contact i WHERE import = ?1 "
	"ON CONFLICT(msisdn) DO UPDATE SET name = excluded.name, "
	"updated_at = excluded.updated_at",
	"DELETE FROM contact_groups WHERE msisdn IN (SELECT msisdn FROM "
	"import_contact WHERE import = ?1 AND groups_given)",
	"INSERT OR IGNORE INTO contact_groups(msisdn, group_id) SELECT "
	"g.msisdn, gr.id FROM import_group g JOIN groups gr ON gr.name = g.grp "
	"WHERE g.import = ?1",
	/* forgetting */
	"DELETE FROM import_contact WHERE import = ?1",
	"DELETE FROM import_group WHERE import = ?1",
	"DELETE FROM import_run WHERE id = ?1",
};
enum { I_CONTACT, I_UNGROUP, I_GROUP, I_APPLY, I_DROP = I_APPLY + 4,
	I_END = I_DROP + 3 };

/* Makes the tables (once per process); 0 or -1. */
static int
import_tables(struct case_store *cs)
{
	char	*msg = NULL;

	if (sqlite3_exec(case_store_db(cs), import_schema, NULL, NULL, &msg) ==
	    SQLITE_OK)
		return 0;
	log_warnx("%s: import tables: %s", who, msg ? msg : "?");
	sqlite3_free(msg);
	return -1;
}

/* Runs statements [from, to) of import_sql with ?1 the import, ?2 v. */
static int
import_run(struct case_store *cs, int from, int to, int64_t id, int64_t v)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = from; i < to; i++) {
		if ((s = contact_prep(cs, import_sql[i])) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_bind_parameter_count(s) > 1)
			sqlite3_bind_int64(s, 2, v);
		if (sql_finish(who, s) == -1)
			return -1;
	}
	return 0;
}

/* Runs one statement with ?1 the import and ?2 a number; 0 or -1. */
static int
import_exec(struct case_store *cs, const char *sql, int64_t id, int64_t v)
{
	sqlite3_stmt	*s;

	if ((s = contact_prep(cs, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, v);
	return sql_finish(who, s);
}

/*
 * A new import (imports untouched since `stale` are dropped first); its
 * id, or -1.
 */
int64_t
contact_import_open(struct case_store *cs, int64_t now, int64_t stale)
{
	if (import_tables(cs) == -1 ||
	    import_exec(cs, "DELETE FROM import_contact WHERE import IN (SELECT "
	    "id FROM import_run WHERE touched_at < ?2)", 0, stale) == -1 ||
	    import_exec(cs, "DELETE FROM import_group WHERE import IN (SELECT "
	    "id FROM import_run WHERE touched_at < ?2)", 0, stale) == -1 ||
	    import_exec(cs, "DELETE FROM import_run WHERE touched_at < ?2", 0,
	    stale) == -1 ||
	    import_exec(cs, "INSERT INTO import_run(touched_at) VALUES (?2)", 0,
	    now) == -1)
		return -1;
	return sqlite3_last_insert_rowid(case_store_db(cs));
}

/* 1 when the import is open (now touched, rows and errors added), 0, -1. */
int
contact_import_touch(struct case_store *cs, int64_t id, int64_t now,
    int64_t rows, int errors)
{
	sqlite3_stmt	*s;

	if (import_tables(cs) == -1 || (s = contact_prep(cs, "UPDATE import_run "
	    "SET touched_at = ?2, rows = rows + ?3, errors = errors + ?4 "
	    "WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, rows);
	sqlite3_bind_int(s, 4, errors);
	if (sql_finish(who, s) == -1)
		return -1;
	return sqlite3_changes(case_store_db(cs)) == 1;
}

/* Steps s once and makes it ready again; 0 or -1. */
static int
import_step(sqlite3_stmt *s)
{
	int	rc = sql_step(who, s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == -1 ? -1 : 0;
}

/* Stages one row through the prepared q[]; 0 or -1. */
static int
import_row(sqlite3_stmt **q, int64_t id, const struct contact_row *r)
{
	size_t	i;

	sqlite3_bind_int64(q[I_CONTACT], 1, id);
	sql_text(q[I_CONTACT], 2, r->msisdn);
	if (r->name)
		sql_text(q[I_CONTACT], 3, r->name);
	sqlite3_bind_int(q[I_CONTACT], 4, r->groups != NULL);
	if (import_step(q[I_CONTACT]) == -1 || r->groups == NULL)
		return r->groups == NULL ? 0 : -1;
	sqlite3_bind_int64(q[I_UNGROUP], 1, id);
	sql_text(q[I_UNGROUP], 2, r->msisdn);
	if (import_step(q[I_UNGROUP]) == -1)
		return -1;
	for (i = 0; i < r->ngroups; i++) {
		sqlite3_bind_int64(q[I_GROUP], 1, id);
		sql_text(q[I_GROUP], 2, r->msisdn);
		sql_text(q[I_GROUP], 3, r->groups[i]);
		if (import_step(q[I_GROUP]) == -1)
			return -1;
	}
	return 0;
}

/* Stages n checked rows of the import, in their order; 0 or -1. */
int
contact_import_stage(struct case_store *cs, int64_t id,
    const struct contact_row *rows, size_t n)
{
	sqlite3_stmt	*q[I_APPLY];
	size_t		 i;
	int		 rc = 0, k;

	for (k = 0; k < I_APPLY; k++)
		if ((q[k] = contact_prep(cs, import_sql[k])) == NULL)
			rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		rc = import_row(q, id, &rows[i]);
	for (k = 0; k < I_APPLY; k++)
		sqlite3_finalize(q[k]);
	return rc;
}

static void
import_counts_row(sqlite3_stmt *s, int n, void *arg)
{
	struct contact_import	*c = arg;

	(void)n;
	c->rows = sqlite3_column_int64(s, 0);
	c->errors = sqlite3_column_int64(s, 1);
	c->numbers = sqlite3_column_int64(s, 2);
	c->added = sqlite3_column_int64(s, 3);
	c->updated = sqlite3_column_int64(s, 4);
	c->unchanged = c->numbers - c->added - c->updated;
}

/*
 * What applying the import would do; 1, 0 no such import, -1 error. A
 * contact is updated when its name or its set of groups would change.
 */
int
contact_import_counts(struct case_store *cs, int64_t id,
    struct contact_import *c)
{
	sqlite3_stmt	*s;
	int		 n;

	memset(c, 0, sizeof(*c));
	if (import_tables(cs) == -1 || (s = contact_prep(cs, "SELECT r.rows, "
	    "r.errors, count(i.msisdn), coalesce(sum(c.msisdn IS NULL), 0), "
	    "coalesce(sum(c.msisdn IS NOT NULL AND ((i.name IS NOT NULL AND "
	    "i.name != c.name) OR (i.groups_given AND ((SELECT count(*) FROM "
	    "import_group g WHERE g.import = ?1 AND g.msisdn = i.msisdn) != "
	    "(SELECT count(*) FROM contact_groups cg WHERE cg.msisdn = "
	    "i.msisdn) OR EXISTS (SELECT 1 FROM import_group g WHERE g.import "
	    "= ?1 AND g.msisdn = i.msisdn AND NOT EXISTS (SELECT 1 FROM "
	    "contact_groups cg JOIN groups gr ON gr.id = cg.group_id WHERE "
	    "cg.msisdn = i.msisdn AND gr.name = g.grp)))))), 0) "
	    "FROM import_run r LEFT JOIN import_contact i ON i.import = r.id "
	    "LEFT JOIN contacts c ON c.msisdn = i.msisdn WHERE r.id = ?1 "
	    "GROUP BY r.id")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return (n = sql_each(who, s, import_counts_row, c)) == -1 ? -1 : n == 1;
}

/* Forgets the import's staged rows; 0 or -1. */
int
contact_import_drop(struct case_store *cs, int64_t id)
{
	return import_run(cs, I_DROP, I_END, id, 0);
}

/*
 * Applies the staged rows, inside the caller's transaction: the groups
 * they name, the contacts (a name not given keeps the old one), each
 * given set of groups replacing the old one; then forgets them. 0 or -1.
 */
int
contact_import_apply(struct case_store *cs, int64_t id, int64_t now)
{
	return import_run(cs, I_APPLY, I_END, id, now);
}
