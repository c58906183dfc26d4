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
int		 group_members_each(struct case_store *, const char *name,
		    contact_each_cb, void *);

#endif
