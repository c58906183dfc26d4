/*
 * POST /backups {"path"}: an online backup of the live database to that
 * file (absolute, new), made and checked on a thread: 202 at once, and
 * GET /backups says when it is done and how it went ("running", and
 * "last": the file, ok or the error, its size and counts). What the
 * daemon writes, it writes as itself: the path is the daemon's.
 */
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

static json_t *
admin_backup_json(const struct store_backup_result *b)
{
	json_t	*o;

	if (b->path[0] == '\0')
		return json_null();
	o = json_pack("{s:o, s:b, s:o, s:o}", "path", admin_jstr(b->path),
	    "ok", b->ok, "started_at", admin_jtime(b->started_at),
	    "finished_at", admin_jtime(b->finished_at));
	if (!b->ok) {
		admin_set(o, "error", admin_jstr(b->error));
		return o;
	}
	admin_set(o, "bytes", json_integer(b->bytes));
	admin_set(o, "cases", json_integer(b->cases));
	admin_set(o, "inbound", json_integer(b->inbound));
	admin_set(o, "outbound", json_integer(b->outbound));
	return o;
}

static int
admin_backup_state(struct admin_req *r, int status)
{
	struct store_backup_result	last;
	int				running;

	running = office_backup_last(r->of, &last, r->now);
	return admin_reply(r, status, json_pack("{s:b, s:o}", "running",
	    running, "last", admin_backup_json(&last)));
}

int
admin_backup_get(struct admin_req *r)
{
	return admin_backup_state(r, 200);
}

int
admin_backup_create(struct admin_req *r)
{
	const char	*path = json_string_value(json_object_get(r->body,
			    "path"));

	if (json_object_size(r->body) != 1 || path == NULL)
		return admin_error(r, 400, "send {\"path\": \"/absolute/file\"}");
	if (path[0] != '/' || strlen(path) >= CONFIG_PATH_MAX - 16)
		return admin_error(r, 400, "path: an absolute file name, "
		    "as the daemon sees it");
	if (office_backup_start(r->of, path, r->now) == -1)
		return admin_error(r, 409, "a backup is under way: see GET "
		    "/backups");
	log_info("admin backup to %s started by %s", path, r->actor);
	return admin_backup_state(r, 202);
}
