/*
 * Load mode: N deliver_sm from NUMBERS phones, at most W "open" (written,
 * not yet replied to) or at a steady rate, and one summary line. All PDUs
 * are packed before the clock starts, into arrays sized for N: nothing is
 * allocated per message while the load runs. A reply is matched to the
 * oldest open message of its number; latency runs from the first write of
 * the deliver_sm to the (last part of the) reply, and ack from the write
 * of the deliver_sm to its resp: how long the ESME's loop kept it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "log.h"
#include "sim.h"

#define LOAD_BASE	84900000000ULL	/* phone k is 8490 + k in 7 digits */
#define TICK_RATE_US	1000
#define TICK_IDLE_US	100000

/* Pools of finished loads: their PDUs may still sit in a flight list. */
struct retired {
	struct retired	*next;
	struct mo_pdu	*pool;
	uint8_t		*arena;
};

static struct {
	int		 active;
	long		 n, numbers;
	int		 window;
	struct mo_pdu	*pool;
	uint8_t		*arena;
	int64_t		*lat;		/* ns, per message */
	int64_t		*ack;		/* ns, per message: deliver_sm_resp */
	long		*next_reply;	/* per number: oldest open message */
	long		 fed, open, sent, replies, dups;
	int64_t		 start_ns, last_ns, progress_ns, rate_ns;
	struct event	*tick;
	load_done_cb	 cb;
	void		*arg;
} L;

static struct retired	*retired;

static int	 load_pack(long, const char *, char **, long, size_t *,
		    const char **);
static int	 read_codes(const char *, char **, char ***, long *,
		    const char **);
static void	 load_feed(void);
static void	 load_tick(evutil_socket_t, short, void *);
static void	 load_finish(void);
static int	 cmp_i64(const void *, const void *);

int
load_active(void)
{
	return L.active;
}

/* Reads CODESFILE: one code a line, blank lines skipped. */
static int
read_codes(const char *path, char **buf, char ***codes, long *n,
    const char **err)
{
	FILE	*f;
	long	 size, i, k = 0;
	char	*p, *line;

	if ((f = fopen(path, "r")) == NULL) {
		*err = strerror(errno);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if ((*buf = calloc(1, (size_t)size + 1)) == NULL)
		fatal("calloc");
	if (fread(*buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		*err = "cannot read the codes file";
		return -1;
	}
	fclose(f);
	if ((*codes = calloc((size_t)size / 2 + 1, sizeof(char *))) == NULL)
		fatal("calloc");
	for (p = *buf; (line = strsep(&p, "\n")) != NULL; ) {
		i = (long)strcspn(line, "\r");
		line[i] = '\0';
		if (i > 0)
			(*codes)[k++] = line;
	}
	if ((*n = k) == 0) {
		*err = "the codes file has no codes";
		return -1;
	}
	return 0;
}

/* Packs message i into the arena at *off. */
static int
load_pack(long i, const char *tmpl, char **codes, long ncodes, size_t *off,
    const char **err)
{
	struct smpp_sm	 m;
	char		 from[SIM_ADDR_MAX], text[1024];
	const char	*c, *pc;
	size_t		 k = 0;
	int		 dc, n;

	snprintf(from, sizeof(from), "%llu",
	    LOAD_BASE + (unsigned long long)(i % L.numbers));
	for (c = tmpl; *c != '\0' && k + 1 < sizeof(text); c++) {
		if (c[0] == '%' && c[1] == 'c' && codes != NULL) {
			for (pc = codes[i % ncodes]; *pc != '\0' &&
			    k + 1 < sizeof(text); pc++)
				text[k++] = *pc;
			c++;
		} else
			text[k++] = *c;
	}
	text[k] = '\0';
	mo_sm_init(&m, from, sim.o.shortcode);
	n = sim_encode(text, m.sm, SMPP_SM_MAX, &dc);
	if (n < 0 || n > (dc == TEXT_DC_UCS2 ? 140 : 160)) {
		*err = "the load text must fit in one SMS";
		return -1;
	}
	m.sm_len = (uint16_t)n;
	m.data_coding = (uint8_t)dc;
	if ((n = mo_pack(&m, L.arena + *off, FRAME_MAX_LEN, err)) < 0)
		return -1;
	L.pool[i].len = (uint16_t)n;
	L.pool[i].buf = (uint8_t *)(uintptr_t)*off;	/* fixed up later */
	*off += (size_t)n;
	return 0;
}

int
load_begin(long n, int window, load_done_cb cb, void *arg, const char **err)
{
	char		*cbuf = NULL, **codes = NULL;
	long		 ncodes = 0, i;
	size_t		 off = 0, cap;
	struct timeval	 tv = { 0, 0 };
	int		 rc = -1;

	if (L.active) {
		*err = "a load is already running";
		return -1;
	}
	if (L.pool != NULL) {
		struct retired *r = calloc(1, sizeof(*r));

		if (r == NULL)
			fatal("calloc");
		r->pool = L.pool;
		r->arena = L.arena;
		r->next = retired;
		retired = r;
		free(L.lat);
		free(L.ack);
		free(L.next_reply);
		event_free(L.tick);
	}
	memset(&L, 0, sizeof(L));
	if (sim.o.codes_file != NULL &&
	    read_codes(sim.o.codes_file, &cbuf, &codes, &ncodes, err) == -1)
		goto out;
	L.n = n;
	L.numbers = sim.o.numbers;
	L.window = window;
	L.pool = calloc((size_t)n, sizeof(*L.pool));
	L.lat = calloc((size_t)n, sizeof(*L.lat));
	L.ack = calloc((size_t)n, sizeof(*L.ack));
	L.next_reply = calloc((size_t)L.numbers, sizeof(*L.next_reply));
	cap = (size_t)n * 128 + FRAME_MAX_LEN;
	L.arena = malloc(cap);
	if (L.pool == NULL || L.lat == NULL || L.ack == NULL ||
	    L.next_reply == NULL ||
	    L.arena == NULL)
		fatal("calloc");
	for (i = 0; i < n; i++) {
		if (cap - off < FRAME_MAX_LEN &&
		    (L.arena = realloc(L.arena, cap *= 2)) == NULL)
			fatal("realloc");
		if (load_pack(i, sim.o.load_text, codes, ncodes, &off, err))
			goto out;
		L.pool[i].pooled = 1;
		L.pool[i].load_idx = i;
	}
	for (i = 0; i < n; i++)
		L.pool[i].buf = L.arena + (uintptr_t)L.pool[i].buf;
	for (i = 0; i < L.numbers; i++)
		L.next_reply[i] = i;
	L.cb = cb;
	L.arg = arg;
	L.active = 1;
	L.progress_ns = sim_now();
	tv.tv_usec = sim.o.rate > 0 ? TICK_RATE_US : TICK_IDLE_US;
	if ((L.tick = event_new(sim.base, -1, EV_PERSIST, load_tick, NULL))
	    == NULL)
		fatalx("event_new");
	evtimer_add(L.tick, &tv);
	log_debug("load n=%ld window=%d rate=%g numbers=%ld packed=%zu bytes",
	    n, window, sim.o.rate, L.numbers, off);
	load_feed();
	rc = 0;
out:
	free(codes);
	free(cbuf);
	return rc;
}

/* Queues what the window (or the rate) allows. */
static void
load_feed(void)
{
	long	due = L.n;
	int64_t	now;

	if (sim.o.rate > 0) {
		if (L.rate_ns == 0) {
			if (!conn_bound_rx())
				return;
			L.rate_ns = sim_now();
		}
		now = sim_now();
		due = (long)((double)(now - L.rate_ns) / SIM_NS * sim.o.rate)
		    + 1;
		if (due > L.n)
			due = L.n;
	}
	while (L.fed < due && (sim.o.rate > 0 || L.open < L.window)) {
		mo_enqueue(&L.pool[L.fed]);
		L.fed++;
		L.open++;
	}
}

static void
load_tick(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev; (void)arg;
	if (!L.active)
		return;
	if (sim_now() - L.progress_ns > (int64_t)(sim.o.idle * SIM_NS)) {
		log_warnx("load: no reply for %g s, giving up", sim.o.idle);
		load_finish();
		return;
	}
	load_feed();
}

void
load_on_sent(long idx, int64_t now)
{
	(void)idx;
	L.sent++;
	if (L.start_ns == 0)
		L.start_ns = now;
}

void
load_on_ack(long idx, int64_t ns)
{
	if (L.active && idx >= 0 && idx < L.n)
		L.ack[idx] = ns;
}

/* Claims a reply to one of the load's phones; 0 if it is not one. */
int
load_on_reply(const char *to, int64_t now)
{
	unsigned long long v;
	char	*end;
	long	 k, i;

	if (!L.active || strlen(to) != 11)
		return 0;
	v = strtoull(to, &end, 10);
	if (*end != '\0' || v < LOAD_BASE || v - LOAD_BASE >=
	    (unsigned long long)L.numbers)
		return 0;
	k = (long)(v - LOAD_BASE);
	i = L.next_reply[k];
	if (i >= L.fed || L.pool[i].first_ns == 0) {
		L.dups++;
		return 1;
	}
	L.lat[i] = now - L.pool[i].first_ns;
	L.next_reply[k] += L.numbers;
	L.replies++;
	L.open--;
	L.last_ns = L.progress_ns = now;
	if (L.replies == L.n)
		load_finish();
	else
		load_feed();
	return 1;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
load_finish(void)
{
	long	 i, k = 0, missing;
	double	 el, p50 = 0, p99 = 0, max = 0, a99 = 0, amax = 0;

	if (!L.active)
		return;
	L.active = 0;
	evtimer_del(L.tick);
	/* The replied ones' latencies, packed to the front and sorted. */
	for (i = 0; i < L.fed; i++)
		if (L.next_reply[i % L.numbers] > i)
			L.lat[k++] = L.lat[i];
	qsort(L.lat, (size_t)k, sizeof(*L.lat), cmp_i64);
	if (k > 0) {
		p50 = L.lat[(k - 1) / 2] / 1e6;
		p99 = L.lat[(k * 99 + 99) / 100 - 1] / 1e6;
		max = L.lat[k - 1] / 1e6;
	}
	qsort(L.ack, (size_t)L.fed, sizeof(*L.ack), cmp_i64);
	if (L.fed > 0) {
		a99 = L.ack[(L.fed * 99 + 99) / 100 - 1] / 1e6;
		amax = L.ack[L.fed - 1] / 1e6;
	}
	missing = L.n - L.replies;
	el = L.start_ns == 0 ? 0 : (double)((L.last_ns ? L.last_ns :
	    sim_now()) - L.start_ns) / SIM_NS;
	printf("load: sent=%ld replies=%ld missing=%ld duplicated=%ld "
	    "elapsed=%.2f msgs/s=%.1f latency_ms p50=%.2f p99=%.2f max=%.2f "
	    "ack_ms p99=%.2f max=%.2f\n",
	    L.sent, L.replies, missing, L.dups, el,
	    el > 0 ? (double)L.replies / el : 0.0, p50, p99, max, a99, amax);
	fflush(stdout);
	if (L.cb != NULL)
		L.cb((int)(missing > 0x7fffffff ? 0x7fffffff : missing), L.arg);
}

/* Ends a running load now (a signal): prints what it has. */
void
load_stop(void)
{
	load_finish();
}

void
load_shutdown(void)
{
	struct retired	*r;

	L.cb = NULL;
	load_finish();
	while ((r = retired) != NULL) {
		retired = r->next;
		free(r->pool);
		free(r->arena);
		free(r);
	}
	free(L.pool);
	free(L.arena);
	free(L.lat);
	free(L.ack);
	free(L.next_reply);
	if (L.tick != NULL)
		event_free(L.tick);
	memset(&L, 0, sizeof(L));
}
