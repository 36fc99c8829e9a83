// SPDX-License-Identifier: MIT
/* SSH keys as EC2 key pairs need them: generation (RSA 2048 as a PKCS#1
 * PEM, ED25519 as an OpenSSH private key — what AWS hands out), the
 * one-line OpenSSH public key, and AWS's fingerprints.  Strings returned
 * through ret_ are malloc'd; free() them. */
#ifndef UTIL_SSH_KEY_H
#define UTIL_SSH_KEY_H
#include <stddef.h>

enum ssh_key_type { SSH_KEY_RSA, SSH_KEY_ED25519 };

/* A new key pair.  AWS: a created RSA key's fingerprint is the SHA-1 of
 * its PKCS#8 DER private key, colon-separated hex; an ED25519 key's is the
 * base64 SHA-256 of the public key blob (OpenSSH's default).  Returns 0 or
 * -EIO. */
int ssh_key_generate(enum ssh_key_type type, char **ret_private, char **ret_public,
		     char **ret_fingerprint);
/* Parses an OpenSSH public key line ("ssh-rsa AAAA… comment"); returns 0
 * with the type, the line without its comment and AWS's imported-key
 * fingerprint (RSA: MD5 of the key blob as RFC 4716 §4, colon hex; ED25519:
 * base64 SHA-256), or -EINVAL. */
int ssh_key_parse_public(const char *line, enum ssh_key_type *ret_type, char **ret_public,
			 char **ret_fingerprint);

#endif
