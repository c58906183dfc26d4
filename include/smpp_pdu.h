/*
 * The libsmpp34 adapter: the only place that includes the library. It turns
 * PDU bytes into plain structs and back, after frame.c has checked the
 * shape. Header-only PDUs and simple responses are built by frame.c.
 */
#ifndef SMPP_PDU_H
#define SMPP_PDU_H

#include <stddef.h>
#include <stdint.h>

#define SMPP_GENERIC_NACK		0x80000000u
#define SMPP_BIND_RECEIVER		0x00000001u
#define SMPP_BIND_TRANSMITTER		0x00000002u
#define SMPP_SUBMIT_SM			0x00000004u
#define SMPP_DELIVER_SM			0x00000005u
#define SMPP_UNBIND			0x00000006u
#define SMPP_BIND_TRANSCEIVER		0x00000009u
#define SMPP_ENQUIRE_LINK		0x00000015u
#define SMPP_DATA_SM			0x00000103u
#define SMPP_ALERT_NOTIFICATION		0x00000102u
#define SMPP_OUTBIND			0x0000000Bu
#define SMPP_RESP			0x80000000u

#define SMPP_ROK			0x00
#define SMPP_RINVMSGLEN			0x01
#define SMPP_RINVCMDLEN			0x02
#define SMPP_RINVCMDID			0x03
#define SMPP_RINVBNDSTS			0x04
#define SMPP_RALYBND			0x05
#define SMPP_RSYSERR			0x08
#define SMPP_RINVSRCADR			0x0A
#define SMPP_RINVDSTADR			0x0B
#define SMPP_RBINDFAIL			0x0D
#define SMPP_RINVPASWD			0x0E
#define SMPP_RINVSYSID			0x0F
#define SMPP_RMSGQFUL			0x14
#define SMPP_RSUBMITFAIL		0x45
#define SMPP_RTHROTTLED			0x58
#define SMPP_RX_T_APPN			0x64
#define SMPP_RX_P_APPN			0x65
#define SMPP_RUNKNOWNERR		0xFF

#define SMPP_ESM_DLR_MASK		0x3C
#define SMPP_ESM_DLR			0x04
#define SMPP_ESM_UDHI			0x40

#define SMPP_SM_MAX			253	/* what libsmpp34 packs */
/*
 * message_payload: SMPP allows 65,535 octets, and all of them are read; a
 * struct smpp_sm keeps the first SMPP_PAYLOAD_MAX, enough for the
 * longest text the store keeps (TEXT_MAX, 4,096 bytes), and payload_cut
 * says how many it left out. libsmpp34 (the reference codec) packs and
 * unpacks 1 KiB at most.
 */
#define SMPP_PAYLOAD_MAX		4096
#define SMPP_LIB_TLV_MAX		1024

/* deliver_sm, submit_sm and data_sm in one shape; -1 marks an absent TLV. */
struct smpp_sm {
	char		service_type[6];
	uint8_t		src_ton, src_npi;
	char		src[21];
	uint8_t		dst_ton, dst_npi;
	char		dst[21];
	uint8_t		esm_class;
	uint8_t		protocol_id;
	uint8_t		registered_delivery;
	uint8_t		data_coding;
	uint8_t		sm[254];
	uint16_t	sm_len;
	uint8_t		payload[SMPP_PAYLOAD_MAX];
	int		payload_len;		/* -1: no message_payload */
	int		payload_cut;		/* octets of it beyond payload[] */
	int		sar_ref, sar_total, sar_seq;
	int		ussd_op;
	int		its_session;
	int		user_msg_ref;
	int		message_state;
	char		receipted_id[65];	/* "" when absent */
};

struct smpp_bind {
	uint32_t	cmd;
	char		system_id[16];
	char		password[9];
	char		system_type[13];
	uint8_t		interface_version;
};

/* Sets every optional field of an smpp_sm to absent. */
void	smpp_sm_init(struct smpp_sm *);
/* Decodes a deliver_sm, submit_sm or data_sm; -1 with *errstr on failure. */
int	smpp_pdu_unpack_sm(const uint8_t *, size_t, struct smpp_sm *,
	    const char **errstr);
/* Encodes one; returns the PDU length or -1 with *errstr. */
int	smpp_pdu_pack_sm(uint32_t cmd, uint32_t seq, const struct smpp_sm *,
	    uint8_t *, size_t, const char **errstr);
/* The same through libsmpp34: the reference the fast codec is tested on. */
int	smpp_pdu_lib_unpack_sm(const uint8_t *, size_t, struct smpp_sm *,
	    const char **errstr);
int	smpp_pdu_lib_pack_sm(uint32_t cmd, uint32_t seq,
	    const struct smpp_sm *, uint8_t *, size_t, const char **errstr);
int	smpp_pdu_pack_bind(const struct smpp_bind *, uint32_t seq,
	    uint8_t *, size_t, const char **errstr);
int	smpp_pdu_unpack_bind(const uint8_t *, size_t, struct smpp_bind *,
	    const char **errstr);
/* Whether a command_status is worth retrying later (throttling, queue full). */
int	smpp_status_transient(uint32_t);

#endif
