/*
 * The admin room's private header: the request every handler gets, and
 * what the files of gateway/admin/ share, grouped by the file that
 * defines it (as tmux.h does). Only gateway/admin/ includes it.
 */
#ifndef ADMIN_INT_H
#define ADMIN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#define ADMIN_ARGS		2
#define ADMIN_HEADERS_MAX	(8 * 1024)	/* request line and headers */
#define ADMIN_LIST_DEFAULT	50
#define ADMIN_LIST_MAX		1000
#define ADMIN_RAW_MAX		(16 * 1024 * 1024)	/* a CSV upload */
#define ADMIN_RAW_READ		(64 * 1024)	/* libevent holds at most */
#define ADMIN_UPLOADS_MAX	2		/* uploads read at once */

struct evbuffer;
struct event_base;
struct admin_conn;
struct admin_conns;
struct admin_route;
struct admin_body_ctx;
struct case_rec;
struct config;
struct office;
struct ssl_ctx_st;		/* OpenSSL's SSL_CTX */
struct office_acct_job;

/* One request, from its routing to its answer. conn.c fills the first
 * block as it reads; http.c routes, checks and answers. */
struct admin_req {
	struct office		*of;
	struct admin_conn	*conn;		/* the one it came on */
	enum evhttp_cmd_type	 method;
	const char		*method_name;
	int			 head_only;	/* HEAD: GET's answer, no body */
	struct evhttp_uri	*uri;
	const char		*path;		/* the URI's, or "" */
	char			 logpath[128];
	char			 peer[64];
	struct evkeyvalq	 in;		/* headers received */
	struct evkeyvalq	 out;		/* headers to send */
	long long		 length;	/* Content-Length, -1: none */
	struct evbuffer		*input;		/* the body, once read */
	int			 status;	/* answered with it, else 0 */

	const struct admin_route *route;
	char			*args[ADMIN_ARGS];	/* the '*' segments */
	json_t			*body;
	const char		*actor;
	int64_t			 now;		/* when it was handed over, unix ms */
	int			 own_batch;	/* admin_begin opened it */
	char			 why[256];		/* a 400's message */

	/* a raw body (ADMIN_RAW) and an answer that comes later */
	char			*raw;		/* the body, malloc'd */
	size_t			 rawlen;
	int			 upload;	/* holds an upload slot */
	int			 deferred;	/* the handler answers later */
	void			(*gone)(struct admin_req *);	/* closed first */
	void			*gone_arg;
	/* who asked (session.c): the bearer token acts as admin */
	int			 role;		/* OFFICE_ROLE_*, 0: nobody */
	int			 session;	/* signed in with the cookie */
	int			 tls;		/* came over TLS: Secure cookies */
	char			 user[40];	/* the session's name; actor */
	char			 token[72];	/* the session's cookie value */
	/* the audit row (audit.c) */
	char			 summary[128];	/* "": the path's argument */
	int			 audit;		/* 1: even if not a 2xx write;
						 * -1: never (no side effect) */
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
int		 admin_method_parse(const char *, enum evhttp_cmd_type *,
		    const char **name);
int		 admin_head(struct admin_req *);
int		 admin_is_raw(const struct admin_req *);
void		 admin_dispatch(struct admin_req *);

/* conn.c: the listener and its connections */
struct admin_conn_stats {
	int			 open, max;
	unsigned long long	 head_late, body_late, write_late;
	unsigned long long	 evicted, full, pauses;
	unsigned long long	 unlogged;	/* refusals past the log's quota */
};
struct admin_conns *admin_conns_new(struct office *, struct event_base *,
		    int max, struct ssl_ctx_st *tls);
int		 admin_conns_listen(struct admin_conns *, const char *host,
		    int port, int *bound);
void		 admin_conns_free(struct admin_conns *);
void		 admin_conns_stats(const struct admin_req *,
		    struct admin_conn_stats *);
void		 admin_conn_answer(struct admin_req *, int status,
		    const char *reason, struct evbuffer *body);
int		 admin_conn_upload(struct admin_req *);

/* imports.c */
int		 admin_import_create(struct admin_req *);
int		 admin_import_get(struct admin_req *);
int		 admin_import_apply(struct admin_req *);
int		 admin_import_discard(struct admin_req *);

/* tls.c: the HTTPS context for [admin] cert and key, or NULL and err */
struct ssl_ctx_st *admin_tls_new(const struct config *, char *err,
		    size_t errlen);

/* json.c */
json_t		*admin_jstr(const char *);
void		 admin_set(json_t *, const char *key, json_t *);
int		 admin_utf8_ok(const char *);
json_t		*admin_jtime(int64_t ms);
int		 admin_list_limit(struct admin_req *, const char *v, int *limit);
const struct admin_body_ctx *admin_ctx(struct admin_req *,
		    struct admin_body_ctx *);

/* cases.c */
json_t		*admin_case_json(struct admin_req *, const struct case_rec *,
		    int history);
int		 admin_case_list(struct admin_req *);
int		 admin_case_create(struct admin_req *);
int		 admin_case_get(struct admin_req *);
int		 admin_case_due(struct admin_req *);
int		 admin_case_patch(struct admin_req *);

/* console.c: the console's reads (today, preview, slip) */
#define ADMIN_THREAD_MAX	100	/* messages shown of a conversation */
json_t		*admin_messages_json(struct admin_req *, const char *msisdn);
int		 admin_today(struct admin_req *);
int		 admin_preview(struct admin_req *);
int		 admin_case_slip(struct admin_req *);

/* inbox.c */
int		 admin_inbox_list(struct admin_req *);
int		 admin_inbox_get(struct admin_req *);
int		 admin_inbox_reply(struct admin_req *);
int		 admin_inbox_done(struct admin_req *);

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

/* ui.c */
int		 admin_ui_index(struct admin_req *);
int		 admin_ui_file(struct admin_req *);

/* session.c: sign-in, and who a request comes from */
int		 admin_session_auth(struct admin_req *);
int		 admin_body_strings(struct admin_req *, const char *const *keys,
		    const char **out);
int		 admin_session_open(struct admin_req *);
int		 admin_session_get(struct admin_req *);
int		 admin_session_close(struct admin_req *);
const char	*admin_role_name(int);
void		 admin_session_defer(struct admin_req *, struct office_acct_job *);
void		 admin_session_resume(struct admin_req *);

/* users.c */
int		 admin_user_add(struct admin_req *);
int		 admin_user_list(struct admin_req *);

/* audit.c */
void		 admin_audit_record(struct admin_req *, int status);
int		 admin_audit_list(struct admin_req *);

/* report.c */
int		 admin_report(struct admin_req *);

/* privacy.c */
int		 admin_privacy_export(struct admin_req *);
int		 admin_privacy_erase(struct admin_req *);

/* held.c */
int		 admin_held_list(struct admin_req *);
int		 admin_held_release(struct admin_req *);
int		 admin_held_drop(struct admin_req *);

/* backups.c */
int		 admin_backup_create(struct admin_req *);
int		 admin_backup_get(struct admin_req *);

/* broadcasts.c */
int		 admin_broadcast_create(struct admin_req *);
int		 admin_broadcast_list(struct admin_req *);
int		 admin_broadcast_get(struct admin_req *);
int		 admin_broadcast_cancel(struct admin_req *);

#endif
