/*
 * The admin API (libevent's HTTP server on the daemon's loop). Placeholder
 * until the staff-side work lands: it serves nothing yet.
 */
#include <stddef.h>

#include "motcua.h"

struct admin *
admin_start(struct gw *gw, char *err, size_t errlen)
{
	static int	none;

	(void)gw; (void)err; (void)errlen;
	return (struct admin *)&none;
}

void
admin_stop(struct admin *a)
{
	(void)a;
}
