/*
 * The admin room: the HTTP API (and soon the staff console).
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct cal_holidays;
struct event;
struct event_base;
struct sqlite3;
struct smpp_sm;
struct link;
struct replies;
struct case_store;
struct admin;
struct ussd;
struct gw;

/* admin.c */
struct admin	*admin_start(struct gw *, char *err, size_t errlen);
void		 admin_stop(struct admin *);

#endif
