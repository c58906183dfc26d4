/*
 * The configuration file: INI, parsed from a string into one struct, so
 * SIGHUP and `motcuad -t` build a fresh one and keep the old on error.
 * config_parse is pure; config_read reads the file for it, the one reader
 * both motcuad and the staff tool use.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_SMSC		8
#define CONFIG_MAX_PREFIXES	16
#define CONFIG_PATH_MAX		1024
#define CONFIG_FILE_MAX		(64 * 1024)	/* config_read refuses more */

enum config_bind { CONFIG_BIND_TRX, CONFIG_BIND_TX_RX };
enum config_alphabet { CONFIG_ALPHA_GSM7, CONFIG_ALPHA_LATIN1, CONFIG_ALPHA_ASCII };
enum config_charset { CONFIG_CS_AUTO, CONFIG_CS_GSM7, CONFIG_CS_UCS2, CONFIG_CS_ASCII };
enum config_long_sms { CONFIG_LONG_UDH, CONFIG_LONG_PAYLOAD };
/* How a carrier runs USSD over SMPP: see gateway/office/ussd.c. */
enum config_ussd_profile { CONFIG_USSD_DEFAULT, CONFIG_USSD_SIXDEE,
	CONFIG_USSD_MICA };

struct config_smsc {
	char		name[32];	/* "default" for a bare [smsc] */
	int		line;
	char		host[256];
	int		port;
	char		system_id[16];
	char		password[9];
	char		system_type[13];
	enum config_bind bind;
	char		source_addr[21];
	int		window;
	int		throughput;
	int		enquire_link;
	int		reconnect_max;
	int		response_timeout;
	enum config_alphabet default_alphabet;
	enum config_long_sms long_sms;
	int		ussd_profile;	/* CONFIG_USSD_* */
	char		prefixes[CONFIG_MAX_PREFIXES][16];
	int		nprefixes;
	int		dest_ton, dest_npi;
	int		seen_system_id, seen_password;
};

struct config {
	char		file[CONFIG_PATH_MAX];
	char		dir[CONFIG_PATH_MAX];
	struct config_smsc smsc[CONFIG_MAX_SMSC];
	int		nsmsc;

	char		store_path[CONFIG_PATH_MAX];
	int		store_path_line;	/* 0: the default */
	int		store_sync_full;
	char		backup_dir[CONFIG_PATH_MAX];	/* "": beside the db */
	int		backup_keep;	/* daily backups kept; 0: none made */

	enum config_charset charset;
	int		max_segments;
	int		flood_per_minute;	/* 0: no limit */
	char		country_code[4];

	char		ussd_service_code[32];
	int		ussd_timeout;

	char		admin_listen[64];	/* as written, for messages */
	char		admin_host[64];		/* numeric: 127.0.0.1, ::1, 0.0.0.0 */
	int		admin_port;		/* 0: the kernel picks */
	char		admin_token[128];
	char		admin_token_file[CONFIG_PATH_MAX];	/* read into it */
	int		admin_token_line;	/* token's or token_file's */
	int		admin_listen_line;	/* 0: the default */
	char		admin_cert[CONFIG_PATH_MAX];	/* both set: HTTPS */
	char		admin_key[CONFIG_PATH_MAX];
	int		admin_tls_line;		/* the later of the two */

	char		office_name[128];
	char		code_prefix[8];
	char		unit_code[32];
	char		templates[CONFIG_PATH_MAX];
	int		quiet_start, quiet_end;	/* minutes after midnight; -1 = none */
	int		broadcast_daily_cap;
	int		remind_after;	/* days a result waits; 0: no reminder */
	int		ask_rating;	/* 1: ask for a 1-5 rating once returned */
};

/*
 * Parses text (the content of file) into c. On error returns -1 and writes
 * "file:line: message" into err.
 */
int	config_parse(const char *file, const char *text, struct config *c,
	    char *err, size_t errlen);
/*
 * Reads file (a regular file of at most CONFIG_FILE_MAX bytes, without a
 * NUL byte) and parses it as config_parse does; errors are
 * "file:line: message", line 0 when the file cannot be read.
 */
int	config_read(const char *file, struct config *c, char *err,
	    size_t errlen);
/*
 * Whether the admin API listens beyond loopback without TLS: 1 with
 * "file:line: warning: …" in msg (for -t and the start-up log), else 0.
 */
int	config_exposed(const struct config *, char *msg, size_t len);
/* 1 and a warning in msg when a file holding a secret (the config with
 * its SMSC password, the token file) can be read by every local user. */
int	config_secrets_exposed(const struct config *, char *msg, size_t len);
/* The link an MSISDN is routed to: longest matching prefix, else the first. */
int	config_route(const struct config *, const char *msisdn);
/* Whether local time at now_ms (unix ms) is in [office] quiet_hours. */
int	config_quiet(const struct config *, int64_t now_ms);

#endif
