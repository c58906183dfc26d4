/*
 * casestatus: the statuses of a case file, by the national portal's sync
 * codes and CONTRACT.md's names. A table and nothing else, so the admin
 * API's body checks (parsers/admin_body.c) can name them without the store.
 */
#ifndef CASESTATUS_H
#define CASESTATUS_H

#define CASE_RECEIVED	2
#define CASE_READY	9
#define CASE_RETURNED	10

struct case_status {
	int		 code;		/* national portal sync code */
	const char	*name;		/* CONTRACT.md's name */
};

/* The status with this exact name, or NULL. */
const struct case_status *case_status_by_name(const char *);
/* The name of a code, or "unknown". */
const char	*case_status_name(int);

#endif
