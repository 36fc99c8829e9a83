// SPDX-License-Identifier: MIT
/* SSH keys (RSA and ED25519) over OpenSSL: generation, the private-key files
 * ssh(1) reads, the one-line OpenSSH public key, the other public-key forms
 * people paste (RFC 4716, DER, PEM), and fingerprints.
 *
 * A `struct ssh_key` is opaque and may hold a private key; ssh_key_free()
 * wipes it.  Strings handed out through ret_ are malloc'd: free() them (a
 * private-key text with ssh_key_free_secret()).  Inputs are bounded by
 * SSH_KEY_INPUT_MAX before anything is allocated.  Never logs. */
#ifndef UTIL_SSH_KEY_H
#define UTIL_SSH_KEY_H
#include <stddef.h>

#define SSH_KEY_INPUT_MAX 16384  /* bytes of any key text or DER we accept */
#define SSH_KEY_RSA_BITS_MAX 16384 /* OpenSSH's ceiling for an RSA modulus */

enum ssh_key_type { SSH_KEY_RSA, SSH_KEY_ED25519 };

/* The form a public key arrived in. */
enum ssh_key_format {
	SSH_KEY_FMT_OPENSSH, /* "ssh-rsa AAAA… comment" (authorized_keys) */
	SSH_KEY_FMT_RFC4716, /* "---- BEGIN SSH2 PUBLIC KEY ----" */
	SSH_KEY_FMT_DER,     /* DER SubjectPublicKeyInfo or PKCS#1, raw, base64 or PEM */
};

enum ssh_fp {
	SSH_FP_SHA256_B64,  /* SHA-256 of the public key blob, standard base64 with its
			     * padding ('=': OpenSSH prints it without, after "SHA256:") */
	SSH_FP_MD5_SPKI,    /* MD5 of the DER SubjectPublicKeyInfo, colon-separated hex */
	SSH_FP_SHA1_PKCS8,  /* SHA-1 of the DER PKCS#8 private key, colon-separated hex;
			     * needs the private key */
};

struct ssh_key;

/* A new key: RSA of `rsa_bits` bits (e = 65537) or ED25519 (`rsa_bits`
 * ignored).  Returns 0 with a key to free with ssh_key_free(), or -EIO. */
int ssh_key_generate(enum ssh_key_type type, unsigned rsa_bits, struct ssh_key **ret);

/* Parses a public key in any of the forms of enum ssh_key_format: one
 * OpenSSH line (a comment may follow; blank lines around it are allowed,
 * another key is not), an RFC 4716 block, or DER — raw, base64 or PEM
 * ("PUBLIC KEY" or "RSA PUBLIC KEY").  Returns 0 with the key and its form,
 * -EINVAL for anything malformed, -EOPNOTSUPP for a well-formed key of
 * another algorithm (DSA, ECDSA…), -E2BIG past SSH_KEY_INPUT_MAX. */
int ssh_key_parse_public(const void *data, size_t size, struct ssh_key **ret,
			 enum ssh_key_format *ret_format);

/* Parses an unencrypted private key: an OpenSSH "openssh-key-v1" file
 * holding one ED25519 key, or any PEM private key OpenSSL reads (PKCS#1,
 * PKCS#8) of RSA or ED25519.  An encrypted key is -EINVAL, never a prompt.
 * Returns as ssh_key_parse_public(). */
int ssh_key_parse_private(const char *text, size_t size, struct ssh_key **ret);

/* Frees a key, wiping private material.  Takes NULL. */
void ssh_key_free(struct ssh_key *k);

enum ssh_key_type ssh_key_get_type(const struct ssh_key *k);
/* The modulus size of an RSA key; 256 for ED25519. */
unsigned ssh_key_bits(const struct ssh_key *k);
/* "ssh-rsa" or "ssh-ed25519". */
const char *ssh_key_type_name(enum ssh_key_type type);

/* The OpenSSH public key line "ssh-ed25519 AAAA…", followed by " comment"
 * when comment is non-NULL and non-empty; no newline.  The caller keeps the
 * comment to one line.  Returns 0 or -EIO. */
int ssh_key_public_line(const struct ssh_key *k, const char *comment, char **ret);

/* The private key as ssh(1) and ssh-keygen read it: RSA as a PKCS#1 PEM
 * ("BEGIN RSA PRIVATE KEY"), ED25519 as an unencrypted OpenSSH private key
 * ("BEGIN OPENSSH PRIVATE KEY", empty comment; PROTOCOL.key).  Returns 0,
 * -EINVAL for a public-only key, or -EIO.  Free with ssh_key_free_secret(). */
int ssh_key_private_text(const struct ssh_key *k, char **ret);
/* Wipes and frees a string from ssh_key_private_text().  Takes NULL. */
void ssh_key_free_secret(char *s);

/* The fingerprint of `kind` (see enum ssh_fp).  Returns 0, -EINVAL when
 * the kind needs a private key the key lacks, or -EIO. */
int ssh_key_fingerprint(const struct ssh_key *k, enum ssh_fp kind, char **ret);

#endif
