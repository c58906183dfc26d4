/*
 * Staff accounts, their sessions, failed sign-ins and the audit log
 * (gateway/store/accounts.c). They share the case store's connection;
 * only the office (gateway/office/accounts.c) calls them.
 */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

struct case_store;

#define ACCT_NAME_MAX	33	/* 32 bytes and the NUL */
#define ACCT_ROLE_MAX	8
#define ACCT_HASH_MAX	160	/* crypto_pwhash_STRBYTES is 128 */
#define ACCT_HEX_MAX	65	/* 32 bytes in hex and the NUL */
#define ACCT_PEER_MAX	64

struct acct_user {
	char		name[ACCT_NAME_MAX];
	char		role[ACCT_ROLE_MAX];
	char		pw_hash[ACCT_HASH_MAX];
	int64_t		created_at;
};

struct acct_session {
	char		name[ACCT_NAME_MAX];
	char		role[ACCT_ROLE_MAX];	/* the user's, now */
	char		csrf[ACCT_HEX_MAX];
	int64_t		created_at, last_seen;
};

struct acct_audit {
	int64_t		 id;
	int64_t		 at;
	const char	*actor, *role, *peer, *method, *path, *summary;
	int		 status;
};

typedef void	(*acct_user_cb)(const struct acct_user *, void *);
typedef void	(*acct_audit_cb)(const struct acct_audit *, void *);

/* 1 added, 0 the name is taken, -1 error. */
int	acct_user_add(struct case_store *, const struct acct_user *);
/* 1 found, 0 not, -1 error. */
int	acct_user_get(struct case_store *, const char *name, struct acct_user *);
int	acct_user_each(struct case_store *, acct_user_cb, void *);

int	acct_session_add(struct case_store *, const char *token_hash,
	    const char *name, const char *csrf, const char *peer, int64_t now);
/* 1 found (and its user still exists), 0 not, -1 error. */
int	acct_session_get(struct case_store *, const char *token_hash,
	    struct acct_session *);
int	acct_session_touch(struct case_store *, const char *token_hash,
	    int64_t now);
int	acct_session_drop(struct case_store *, const char *token_hash);
/* Drops sessions idle since idle_before or opened before made_before. */
int	acct_session_expire(struct case_store *, int64_t idle_before,
	    int64_t made_before);

int	acct_fail_add(struct case_store *, const char *name, const char *peer,
	    int64_t at);
/* When the nth newest failure since `since` for the name (or, name NULL,
 * the peer) happened; 0 when there are fewer, -1 error. */
int64_t	acct_fail_nth(struct case_store *, const char *name, const char *peer,
	    int64_t since, int nth);
int	acct_fail_expire(struct case_store *, int64_t before);

int	acct_audit_add(struct case_store *, const struct acct_audit *);
/* The newest rows with id < before (0: from the newest), at most limit. */
int	acct_audit_each(struct case_store *, int64_t before, int limit,
	    acct_audit_cb, void *);

#endif
