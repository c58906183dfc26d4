/*
 * smsc-sim: the SMSC simulator the daemon binds to in demos, end-to-end
 * tests and benchmarks. One process, one libevent loop. Shared declarations,
 * grouped by the file that defines them; see smsc_sim.c for the usage.
 */
#ifndef SIM_H
#define SIM_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/bufferevent.h>

#include "smpp_pdu.h"
#include "text.h"

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

#define SIM_ADDR_MAX	21		/* SMPP address, NUL included */
#define SIM_MAX_PARTS	16		/* parts of one reassembled message */
#define SIM_TEXT_MAX	16384		/* UTF-8 of one reassembled message */
#define SIM_NS		1000000000LL

enum sim_mode { MODE_PASSIVE, MODE_INTERACTIVE, MODE_SCRIPT, MODE_LOAD };
enum sim_bind { BIND_NONE, BIND_RX, BIND_TX, BIND_TRX };
enum sim_dlr { DLR_OFF, DLR_DELIVRD, DLR_UNDELIV };
enum sim_event { EV_BIND, EV_CLOSE, EV_OUT, EV_ACK, EV_NACK, EV_BINDFAIL,
	EV_ENQUIRE_RESP };
enum pdu_state { PDU_NEW, PDU_QUEUED, PDU_FLIGHT, PDU_RETRY, PDU_ACKED,
	PDU_REJECTED };

struct mo_pdu;
struct delayed;

/* One ESME connection. */
struct conn {
	TAILQ_ENTRY(conn)	 entry;
	uint64_t		 id;
	struct bufferevent	*bev;
	int			 bind;		/* enum sim_bind */
	int			 closing;	/* flush, then close */
	int			 unbinding;	/* we sent unbind */
	int			 dead;
	int			 deaf;		/* `deaf`: reads and drops all */
	char			 system_id[16];
	uint32_t		 next_seq;
	int			 inflight;	/* deliver_sm without a resp */
	TAILQ_HEAD(, mo_pdu)	 flight;	/* in sequence order */
	TAILQ_HEAD(, delayed)	 delayed;	/* submit_sm_resp held by `delay` */
	int			 held;		/* how many: the ESME's window */
	struct event		*unbind_timer;
};
TAILQ_HEAD(connq, conn);

/* A logical MO message (one or more deliver_sm), kept until exit. */
struct mo_msg {
	TAILQ_ENTRY(mo_msg)	 entry;
	char			 from[SIM_ADDR_MAX];
	int			 parts, acked, rejected;
	int			 ussd;
	int			 replied;	/* seen by expect_acked_replied */
	int64_t			 first_ns;	/* first part written */
};
TAILQ_HEAD(mo_msgq, mo_msg);

/* One deliver_sm the SMSC must get acknowledged. */
struct mo_pdu {
	TAILQ_ENTRY(mo_pdu)	 entry;		/* queue, flight or retry list */
	uint64_t		 order;		/* delivery order, kept on retry */
	struct mo_msg		*msg;		/* NULL for a DLR */
	int			 state;		/* enum pdu_state */
	int			 pooled;	/* owned by the load pool */
	long			 load_idx;	/* -1 unless a load message */
	uint32_t		 seq;
	struct conn		*conn;
	int64_t			 first_ns, sent_ns, retry_ns;
	int			 attempts;
	uint32_t		 len;		/* up to FRAME_MAX_LEN */
	uint8_t			*buf;
};
TAILQ_HEAD(mo_pduq, mo_pdu);

/* A reassembled outbound message (submit_sm / data_sm from the ESME). */
struct outmsg {
	TAILQ_ENTRY(outmsg)	 entry;
	uint64_t		 n;		/* arrival number, from 1 */
	char			 to[SIM_ADDR_MAX];	/* normalised */
	char			 from[SIM_ADDR_MAX];
	int			 parts;
	int			 dc;
	int			 ussd_op;	/* -1: an SMS */
	int			 its_session;	/* -1: absent */
	int			 consumed;	/* satisfied an expect */
	int64_t			 t_ns;
	char			*text;
};
TAILQ_HEAD(outq, outmsg);

struct sim_opts {
	int			 port;
	const char		*portfile;
	const char		*system_id;
	char			 password[9];
	const char		*shortcode;
	int			 mode;		/* enum sim_mode */
	const char		*script;
	long			 load_n;
	int			 window;
	double			 rate;
	const char		*load_text;
	const char		*codes_file;
	long			 numbers;
	double			 idle;		/* load: seconds without progress */
	int			 id_dec;
	int			 dlr;		/* enum sim_dlr */
	int			 verbose;
	enum text_alphabet	 dc0;
};

/* Fault injection, set by script commands. */
struct sim_faults {
	long			 throttle, qfull, fail;
	uint32_t		 fail_status;
	int			 delay_ms;
	int			 no_enquire_resp;
};

struct sim {
	struct sim_opts		 o;
	struct sim_faults	 f;
	struct event_base	*base;
	int			 port;
	int			 exit_code;
	int			 stopping;	/* tearing down: no more reactions */
	/* counters the script looks at */
	long			 bind_failures;
	uint64_t		 raw_gen;	/* send_raw count */
	uint64_t		 nack_gen;	/* raw_gen when a nack/drop came */
	uint64_t		 enquire_gen, enquire_resp_gen;
	long			 bad_pdus;	/* PDUs from the ESME we refused */
	uint64_t		 msg_id;	/* last submit_sm_resp id */
	int			 max_held;	/* most submit_sm held at once */
};

/* smsc_sim.c */
extern struct sim	 sim;
int64_t		 sim_now(void);
void		 sim_notify(int);
void		 sim_exit(int);
void		 sim_hexdump(const char *, const uint8_t *, size_t);
void		 sim_say(const char *, ...) __attribute__((format(printf, 1, 2)));

/* sim_conn.c */
int		 conn_listen(void);
void		 conn_shutdown(void);
struct conn	*conn_pick_rx(void);
int		 conn_bound_rx(void);
int		 conn_count(void);
void		 conn_write(struct conn *, const uint8_t *, size_t);
uint32_t	 conn_next_seq(struct conn *);
void		 conn_drop_all(void);
int		 conn_deaf_all(void);
int		 conn_unbind_all(void);
int		 conn_send_raw(const uint8_t *, size_t);
int		 conn_enquire(void);

/* sim_mo.c */
void		 mo_init(void);
void		 mo_shutdown(void);
void		 mo_kick(void);
void		 mo_enqueue(struct mo_pdu *);
void		 mo_on_resp(struct conn *, uint32_t seq, uint32_t status);
void		 mo_on_close(struct conn *);
long		 mo_outstanding(void);
long		 mo_rejected(void);
struct mo_msgq	*mo_msgs(void);
int		 mo_pack(const struct smpp_sm *, uint8_t *, size_t,
		    const char **);
void		 mo_sm_init(struct smpp_sm *, const char *from, const char *to);
int		 mo_send(const char *from, const char *text, const char **);
int		 mo_send_dc(const char *from, int dc, const uint8_t *, size_t,
		    const char **);
int		 mo_send_parts(const char *from, const int *order, int n,
		    int total, int sar, const char *text, const char **);
int		 mo_send_part(const char *from, int dc, int ref, int seq,
		    int total, const uint8_t *, size_t, const char **);
int		 mo_send_payload(const char *from, const char *text,
		    const char **);
int		 mo_send_ussd(const char *from, const char *text,
		    const char **);
int		 mo_ussd_open(const char *msisdn);
void		 mo_ussd_outbound(const char *to, int op, int its);
void		 mo_schedule_dlr(const char *resp_id, uint64_t id,
		    const struct smpp_sm *);

/* sim_out.c */
void		 out_init(int slots);
void		 out_shutdown(void);
void		 out_on_submit(const struct smpp_sm *);
struct outq	*out_list(void);
uint64_t	 out_total(void);
int		 out_is_final(const struct outmsg *);
void		 out_print(const struct outmsg *);

/* sim_text.c */
void		 sim_msisdn(const char *, char *, size_t);
int		 sim_utf8_next(const uint8_t *, size_t, int32_t *);
int		 sim_encode(const char *, uint8_t *, size_t, int *dc);
int		 sim_split(const uint8_t *, size_t, int dc, int want,
		    size_t room, size_t *cuts);
int		 sim_hex(const char *, uint8_t *, size_t);
int		 sim_is_service_code(const char *);

/* script.c */
int		 script_load(const char *);
void		 script_start(void);
void		 script_kick(void);
void		 script_shutdown(void);

/* sim_interactive.c */
void		 interactive_start(int banner);
void		 interactive_notify(int);
void		 interactive_shutdown(void);

/* sim_load.c */
typedef void	(*load_done_cb)(int missing, void *);
int		 load_begin(long n, int window, load_done_cb, void *,
		    const char **);
int		 load_active(void);
int		 load_on_reply(const char *to, int64_t now);
void		 load_on_sent(long idx, int64_t now);
void		 load_on_ack(long idx, int64_t ns);
void		 load_stop(void);
void		 load_shutdown(void);

#endif
