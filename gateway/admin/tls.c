/*
 * HTTPS for the admin door, when [admin] cert and key are both set: one
 * OpenSSL context, loaded at start (and by motcuad -t, so that a file the
 * daemon cannot use fails the check, with its reason). TLS 1.2 at least,
 * no renegotiation, no compression; OpenSSL's default ciphers otherwise.
 */
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "config.h"
#include "admin/admin.h"
#include "admin/admin_int.h"

/* OpenSSL's reason for the last failure, after what we were doing. */
static void
admin_tls_why(char *err, size_t len, const char *what, const char *file)
{
	char	reason[256];

	ERR_error_string_n(ERR_get_error(), reason, sizeof(reason));
	snprintf(err, len, "%s: %s: %s", file, what, reason);
	ERR_clear_error();
}

SSL_CTX *
admin_tls_new(const struct config *c, char *err, size_t len)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		admin_tls_why(err, len, "cannot make a TLS context", "openssl");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, c->admin_cert) != 1) {
		admin_tls_why(err, len, "cannot read the certificate",
		    c->admin_cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->admin_key,
	    SSL_FILETYPE_PEM) != 1) {
		admin_tls_why(err, len, ERR_GET_REASON(ERR_peek_error()) ==
		    X509_R_KEY_VALUES_MISMATCH ? "the key does not match the "
		    "certificate" : "cannot read the private key", c->admin_key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		admin_tls_why(err, len, "the key does not match the "
		    "certificate", c->admin_key);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int
admin_tls_check(const struct config *c, char *err, size_t len)
{
	SSL_CTX	*ctx;

	if (c->admin_cert[0] == '\0')
		return 0;
	if ((ctx = admin_tls_new(c, err, len)) == NULL)
		return -1;
	SSL_CTX_free(ctx);
	return 0;
}
