/*
 * config_parse on any text: the file an operator edits, checked by
 * `motcuad -t` and reloaded on SIGHUP. The struct is allocated at its
 * exact size so a write past it is caught. Byte 0 picks the file name
 * (the defaults for paths are relative to its directory). What passes must
 * be usable as is: the admin address binds without parsing again, the
 * country code is one msisdn.c takes, the service code one a phone dials.
 */
#include <arpa/inet.h>

#include "fuzz.h"

#include "config.h"

static const char *const files[] = {
	"/etc/motcua/motcua.conf", "motcua.conf", "/motcua.conf",
	"conf.d/../motcua.conf",
};
static const char *const numbers[] = {
	"84912345678", "84388000111", "", "1", "8491234567890123",
};

/* What evhttp_bind_socket takes without a DNS look-up. */
static int
numeric_address(const char *h)
{
	unsigned char	a[16];

	return inet_pton(AF_INET, h, a) == 1 || inet_pton(AF_INET6, h, a) == 1;
}

static void
check(const struct config *c)
{
	int	i, j;

	FUZZ_CHECK(c->nsmsc >= 1 && c->nsmsc <= CONFIG_MAX_SMSC);
	FUZZ_TERMINATED(c->file);
	FUZZ_TERMINATED(c->dir);
	FUZZ_TERMINATED(c->store_path);
	FUZZ_TERMINATED(c->country_code);
	FUZZ_TERMINATED(c->ussd_service_code);
	FUZZ_TERMINATED(c->admin_listen);
	FUZZ_TERMINATED(c->admin_host);
	FUZZ_CHECK(numeric_address(c->admin_host));
	FUZZ_CHECK(c->admin_port >= 0 && c->admin_port <= 65535);
	FUZZ_CHECK(strlen(c->country_code) >= 1 &&
	    strspn(c->country_code, "0123456789") == strlen(c->country_code) &&
	    c->country_code[0] != '0');
	FUZZ_CHECK(strlen(c->ussd_service_code) >= 3 &&
	    c->ussd_service_code[strlen(c->ussd_service_code) - 1] == '#');
	FUZZ_TERMINATED(c->admin_token);
	FUZZ_TERMINATED(c->office_name);
	FUZZ_TERMINATED(c->code_prefix);
	FUZZ_TERMINATED(c->unit_code);
	FUZZ_TERMINATED(c->templates);
	FUZZ_CHECK(c->max_segments >= 1 && c->max_segments <= 10);
	FUZZ_CHECK(c->charset >= CONFIG_CS_AUTO && c->charset <= CONFIG_CS_ASCII);
	FUZZ_CHECK(c->code_prefix[0] != '\0');
	FUZZ_CHECK(strspn(c->code_prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
	    strlen(c->code_prefix));
	FUZZ_CHECK((c->quiet_start == -1 && c->quiet_end == -1) ||
	    (c->quiet_start >= 0 && c->quiet_start < 24 * 60 &&
	    c->quiet_end >= 0 && c->quiet_end < 24 * 60 &&
	    c->quiet_start != c->quiet_end));
	for (i = 0; i < c->nsmsc; i++) {
		const struct config_smsc *s = &c->smsc[i];

		FUZZ_TERMINATED(s->name);
		FUZZ_TERMINATED(s->host);
		FUZZ_TERMINATED(s->system_id);
		FUZZ_TERMINATED(s->password);
		FUZZ_TERMINATED(s->system_type);
		FUZZ_TERMINATED(s->source_addr);
		FUZZ_CHECK(s->system_id[0] != '\0' && s->source_addr[0] != '\0');
		FUZZ_CHECK(s->port >= 1 && s->port <= 65535);
		FUZZ_CHECK(s->host[0] != '\0' && strchr(s->host, ' ') == NULL);
		FUZZ_CHECK(s->window >= 1 && s->window <= 1000);
		FUZZ_CHECK(s->bind == CONFIG_BIND_TRX ||
		    s->bind == CONFIG_BIND_TX_RX);
		FUZZ_CHECK(s->default_alphabet >= CONFIG_ALPHA_GSM7 &&
		    s->default_alphabet <= CONFIG_ALPHA_ASCII);
		FUZZ_CHECK(s->ussd_profile >= CONFIG_USSD_DEFAULT &&
		    s->ussd_profile <= CONFIG_USSD_MICA);
		FUZZ_CHECK(s->nprefixes >= 0 &&
		    s->nprefixes <= CONFIG_MAX_PREFIXES);
		for (j = 0; j < s->nprefixes; j++) {
			FUZZ_TERMINATED(s->prefixes[j]);
			FUZZ_CHECK(s->prefixes[j][0] != '\0' &&
			    s->prefixes[j][0] != '0');
		}
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(s->name, c->smsc[j].name) != 0);
	}
	for (i = 0; i < (int)(sizeof(numbers) / sizeof(numbers[0])); i++) {
		j = config_route(c, numbers[i]);
		FUZZ_CHECK(j >= 0 && j < c->nsmsc);
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	const char	*file;
	struct config	*c;
	char		*text, err[512];

	if (size < 1)
		return 0;
	file = files[d[0] % (sizeof(files) / sizeof(files[0]))];
	text = fuzz_cstr(d + 1, size - 1);
	FUZZ_CHECK((c = malloc(sizeof(*c))) != NULL);
	err[0] = '\0';
	if (config_parse(file, text, c, err, sizeof(err)) == 0)
		check(c);
	else {
		/* "file:line: message" */
		FUZZ_CHECK(strncmp(err, file, strlen(file)) == 0 &&
		    err[strlen(file)] == ':');
		FUZZ_TERMINATED(err);
	}
	free(c);
	free(text);
	return 0;
}
