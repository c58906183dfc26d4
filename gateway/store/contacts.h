/*
 * The contact book: contacts and the groups broadcasts go to
 * (gateway/store/contacts.c). They share the case store's connection;
 * store/cases.h includes this header.
 */
#ifndef CONTACTS_H
#define CONTACTS_H

#include <stddef.h>
#include <stdint.h>

struct case_store;

struct contact {
	char		msisdn[24];
	char		name[128];
};

typedef void	(*contact_each_cb)(const struct contact *, void *);

int		 contact_upsert(struct case_store *, const char *msisdn,
		    const char *name, int64_t now);
int		 contact_get(struct case_store *, const char *msisdn,
		    struct contact *);
int		 contact_set_groups(struct case_store *, const char *msisdn,
		    const char *const *groups, size_t n);
int		 contact_groups_each(struct case_store *, const char *msisdn,
		    void (*)(const char *, void *), void *);
int		 group_find(struct case_store *, const char *name, char *,
		    size_t);
/* One checked row of a bulk import: groups NULL keeps the old ones. */
struct contact_row {
	int64_t			 row;		/* the file's line */
	const char		*msisdn;
	const char		*name;		/* NULL: keep the old one */
	const char *const	*groups;
	size_t			 ngroups;
};

/* What an import holds and would do. */
struct contact_import {
	int64_t		rows, errors;		/* staged, refused */
	int64_t		numbers, added, updated, unchanged;
};

int64_t		 contact_import_open(struct case_store *, int64_t now,
		    int64_t stale);
int		 contact_import_touch(struct case_store *, int64_t id,
		    int64_t now, int64_t rows, int errors);
int		 contact_import_stage(struct case_store *, int64_t id,
		    const struct contact_row *, size_t n);
int		 contact_import_counts(struct case_store *, int64_t id,
		    struct contact_import *);
int		 contact_import_apply(struct case_store *, int64_t id,
		    int64_t now);
int		 contact_import_drop(struct case_store *, int64_t id);
int		 group_members_each(struct case_store *, const char *name,
		    contact_each_cb, void *);

#endif
