/*
 * USSD sessions. Placeholder until the USSD menu lands: a dial is
 * answered with one final screen.
 */
#include <stddef.h>

#include "log.h"
#include "motcua.h"

struct ussd *
ussd_start(struct gw *gw)
{
	(void)gw;
	return NULL;
}

void
ussd_stop(struct ussd *u)
{
	(void)u;
}

int
ussd_handle(struct gw *gw, const struct inbound *in)
{
	log_info("msisdn=%s in=%lld USSD menu not available yet", in->msisdn,
	    (long long)in->id);
	return outbox_queue_ussd(gw, in, "Dich vu dang duoc chuan bi.", 17,
	    in->its_session) == -1 ? -1 : 0;
}
