/*
 * The admin room: the HTTP API (and soon the staff console), one file per
 * resource behind http.c's routing table. It calls the office only.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>

struct admin;
struct config;
struct office;

/* http.c */
struct admin	*admin_start(struct office *, char *err, size_t errlen);
void		 admin_stop(struct admin *);

/* tls.c: whether [admin] cert and key load (motcuad -t); 0 when unset */
int		 admin_tls_check(const struct config *, char *err,
		    size_t errlen);

#endif
