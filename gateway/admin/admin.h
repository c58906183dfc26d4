/*
 * The admin room: the HTTP API (and soon the staff console), one file per
 * resource behind http.c's routing table. It calls the office only.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>

struct admin;
struct office;

/* http.c */
struct admin	*admin_start(struct office *, char *err, size_t errlen);
void		 admin_stop(struct admin *);

#endif
