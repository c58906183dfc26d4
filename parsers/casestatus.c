/*
 * Case statuses: the codes the national portal syncs, under the names
 * CONTRACT.md gives them. Received (2) to returned (10), in that order.
 */
#include <stddef.h>
#include <string.h>

#include "casestatus.h"

static const struct case_status statuses[] = {
	{ 2, "received" }, { 3, "rejected" }, { 4, "processing" },
	{ 5, "need_more" }, { 6, "need_fee" }, { 7, "withdrawn" },
	{ 8, "suspended" }, { 9, "ready" }, { 10, "returned" },
};

const struct case_status *
case_status_by_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(statuses[i].name, name) == 0)
			return &statuses[i];
	return NULL;
}

const char *
case_status_name(int code)
{
	size_t	i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == code)
			return statuses[i].name;
	return "unknown";
}
