/*
 * GET /procedures: the office's list, as procedures.list holds it.
 */
#include <jansson.h>

#include "office/office.h"
#include "admin/admin_int.h"
#include "procedures.h"

int
admin_procedures(struct admin_req *r)
{
	const struct procedures	*ps = replies_procedures(office_replies(r->of));
	json_t			*a = json_array();
	int			 i;

	for (i = 0; i < ps->n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:i, s:o}",
		    "code", admin_jstr(ps->p[i].code),
		    "name", admin_jstr(ps->p[i].name),
		    "fee", admin_jstr(ps->p[i].fee),
		    "days", ps->p[i].days,
		    "documents", admin_jstr(ps->p[i].documents)));
	return admin_reply(r, 200, a);
}
