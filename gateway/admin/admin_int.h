/*
 * The admin room's private header: the request every handler gets, and
 * what the files of gateway/admin/ share, grouped by the file that
 * defines it (as tmux.h does). Only gateway/admin/ includes it.
 */
#ifndef ADMIN_INT_H
#define ADMIN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define ADMIN_ARGS		2
#define ADMIN_LIST_DEFAULT	50
#define ADMIN_LIST_MAX		1000

struct evhttp_request;
struct evkeyvalq;
struct evbuffer;
struct admin_body_ctx;
struct case_rec;
struct office;

/* One request, from its routing to its answer. */
struct admin_req {
	struct office		*of;
	struct evhttp_request	*req;
	char			*args[ADMIN_ARGS];	/* the '*' segments */
	json_t			*body;
	const char		*actor;
	int			 own_batch;	/* admin_begin opened it */
	char			 why[256];		/* a 400's message */
};

/* http.c: answers (each returns the status sent), transactions, queries */
int		 admin_send(struct admin_req *, int status, const char *type,
		    struct evbuffer *);
int		 admin_reply(struct admin_req *, int status, json_t *);
int		 admin_error(struct admin_req *, int status, const char *);
int		 admin_fail(struct admin_req *);
int		 admin_why(struct admin_req *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 admin_bad(struct admin_req *);
int		 admin_begin(struct admin_req *);
int		 admin_end(struct admin_req *, int keep);
struct evkeyvalq *admin_query(struct admin_req *, struct evkeyvalq *,
		    const char *const *known);

/* json.c */
json_t		*admin_jstr(const char *);
void		 admin_set(json_t *, const char *key, json_t *);
int		 admin_utf8_ok(const char *);
json_t		*admin_jtime(int64_t ms);
const struct admin_body_ctx *admin_ctx(struct admin_req *,
		    struct admin_body_ctx *);

/* cases.c */
const char	*admin_timeliness(const struct case_rec *);
json_t		*admin_case_json(struct admin_req *, const struct case_rec *,
		    int history);
int		 admin_case_list(struct admin_req *);
int		 admin_case_create(struct admin_req *);
int		 admin_case_get(struct admin_req *);
int		 admin_case_due(struct admin_req *);
int		 admin_case_patch(struct admin_req *);

/* metrics.c */
int		 admin_health(struct admin_req *);
int		 admin_metrics(struct admin_req *);

/* procedures.c */
int		 admin_procedures(struct admin_req *);

/* messages.c */
int		 admin_message_send(struct admin_req *);

/* contacts.c */
int		 admin_contact_put(struct admin_req *);
int		 admin_contact_get(struct admin_req *);
int		 admin_contact_import(struct admin_req *);
int		 admin_group_get(struct admin_req *);

/* report.c */
int		 admin_report(struct admin_req *);

/* broadcasts.c */
int		 admin_broadcast_create(struct admin_req *);
int		 admin_broadcast_list(struct admin_req *);
int		 admin_broadcast_get(struct admin_req *);
int		 admin_broadcast_cancel(struct admin_req *);

#endif
