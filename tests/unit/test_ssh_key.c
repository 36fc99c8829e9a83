// SPDX-License-Identifier: MIT
/* util/ssh_key against OpenSSH and OpenSSL themselves: every expected value
 * below was printed once by ssh-keygen 9.2 / OpenSSL 3.0 from the keys
 * embedded here (commands beside each), so a drift in an encoding or a
 * fingerprint shows up as a mismatch with the real tools.  The AWS rules
 * that choose among the fingerprints (model/key_pair) are checked at the
 * end.  The keys are throwaway test keys. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/key_pair.h"
#include "util/ssh_key.h"

/* ssh-keygen -t ed25519 -N "" -C "" -f ed */
static const char ED_PRIV[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
	"QyNTUxOQAAACDUhk5eZ+zzhVDk2x5K3pzoO4+Ibw+ekrRr0tJCjpjhwAAAAIjxZhKB8WYS\n"
	"gQAAAAtzc2gtZWQyNTUxOQAAACDUhk5eZ+zzhVDk2x5K3pzoO4+Ibw+ekrRr0tJCjpjhwA\n"
	"AAAEBG49/KlXzM8V7b+ACABx6zpDZ5pgOKG6uAb2gZ8JOWAtSGTl5n7POFUOTbHkrenOg7\n"
	"j4hvD56StGvS0kKOmOHAAAAAAAECAwQF\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

/* ed.pub */
#define ED_PUB "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA"
/* ssh-keygen -l -E sha256 -f ed.pub → SHA256:kgWUW+BDZrgzGZVO9ACcMMDITvkUagUuBKw/4Mh/5MI */
#define ED_SHA256 "kgWUW+BDZrgzGZVO9ACcMMDITvkUagUuBKw/4Mh/5MI="

/* ssh-keygen -e -f ed.pub */
static const char ED_RFC4716[] =
	"---- BEGIN SSH2 PUBLIC KEY ----\n"
	"Comment: \"256-bit ED25519, converted by root@vm from OpenSSH\"\n"
	"AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA\n"
	"---- END SSH2 PUBLIC KEY ----\n";

/* cp ed edenc; ssh-keygen -p -P "" -N secret -f edenc (aes256-ctr, bcrypt) */
static const char ED_ENC[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABCXmoAy00\n"
	"yYn6jDZz3aCWgsAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTb\n"
	"HkrenOg7j4hvD56StGvS0kKOmOHAAAAAkGcWZBfzqmt0bl0xYo3cotZ3A7Hqqfd3Eiud2i\n"
	"yhCINcm5zyiBTIWpQVxUkdxWqEZo230yUdTEFi0Rli2sq0fAeNl/IZXc5KZsvjmJDmDmTG\n"
	"EQFPB3rT08lGNeW46/kBhIj9Igm4+/73TuMCu6JUFLQAHYeZfAHGJ2FTpqfS6BTVZOB6ww\n"
	"mh4Xc7Fy4kCJ5u1A==\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

/* openssl genrsa -traditional 1024 */
static const char RSA_PRIV[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIICXQIBAAKBgQDRb50E+pjpTl7PAE9lUu5xLrC+h4s7CXHLsb37nrzX+ceHGrfR\n"
	"mrOdBvzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1Rm48NCn2Uykh7o9s7gbK50Hka\n"
	"vqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvLTEacVCHTe1KZJkhphacconyIfQIDAQAB\n"
	"AoGAcYVBJAi9R4CuTR+K6Y35Jqo7LRsFMdvdrZ5LLw8MpziBmU63IkrrXosCDQrG\n"
	"rdHSKSIklCH5Dk+TEwPndZ0a1EPiHW70GONqCqR1QcDW/c/yI5N0jFGXzuYnYFFg\n"
	"uFraTBAG2FYYVWFf/6CZPmMqXBxindI2N0zSnefa4B4cmkECQQD64THikoPIEn2h\n"
	"j6hVIm3ZHSPApNDyi7nY3iStc3yoQRixyw1+0o4jVRmXkcFkk275HNXOjPQGK9rP\n"
	"SxPXVyMtAkEA1bXhz2qyhyfF8b5Z8pvmcx5xY+/C7pZOv3IMqfQ2R5feEBPBu+kd\n"
	"J/qvltFfrqlYarP5DKuEdSg/n6y6EZmMkQJBAMh6upV3Ra3U8OXxWbAmoid0vMRO\n"
	"MNcRx0LBSgf9mKkP0/8H51HoSkN71sajaCrKEk0puMWlJ7/ivakXMtTLQkUCQQCt\n"
	"YfyrvNLOmFQdxuNO03Dp4L7552FtFAEbjTn9AKaw+uMsg/rfq0b+UoH2iDNqjvWu\n"
	"zAi4YMb8DgVgVFA5SywhAkAi/gTtyUlIYYnLqwYf+vPR1tEm/NDqDRyH+O3RLdKt\n"
	"ZKFB+aBtBGcwzaJcjD5KBYMs+ZMz8mSSRX9yiQTwYUIM\n"
	"-----END RSA PRIVATE KEY-----\n";

/* ssh-keygen -y -f rsa.pem */
#define RSA_PUB                                                                                    \
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDRb50E+pjpTl7PAE9lUu5xLrC+h4s7CXHLsb37nrzX+ceHGrfRmrOd" \
	"BvzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1Rm48NCn2Uykh7o9s7gbK50HkavqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvL" \
	"TEacVCHTe1KZJkhphacconyIfQ=="
/* openssl pkcs8 -topk8 -nocrypt -outform DER -in rsa.pem | openssl sha1 -c */
#define RSA_SHA1_PKCS8 "fe:48:13:d3:d2:3e:a1:0a:db:d9:cb:63:b7:d3:51:6e:a8:00:f6:46"
/* openssl pkey -in rsa.pem -pubout -outform DER | openssl md5 -c
 * (ssh-keygen -l -E md5 prints 89:45:32:13:… — the SSH blob, not this) */
#define RSA_MD5_SPKI "ca:02:b7:49:12:68:d4:ec:4f:3b:06:24:c6:34:25:16"
/* ssh-keygen -l -E sha256 -f rsa.pub → SHA256:WeZYSgc0uTM0lt5pO3u20u+f6f1oZ1DW9Ny5efx54VA */
#define RSA_SHA256 "WeZYSgc0uTM0lt5pO3u20u+f6f1oZ1DW9Ny5efx54VA="
/* openssl pkey -in rsa.pem -pubout -outform DER | base64 -w0 */
#define RSA_DER_B64                                                                                \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDRb50E+pjpTl7PAE9lUu5xLrC+h4s7CXHLsb37nrzX+ceHGrfRmrOdB" \
	"vzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1Rm48NCn2Uykh7o9s7gbK50HkavqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvLTE" \
	"acVCHTe1KZJkhphacconyIfQIDAQAB"

/* ssh-keygen -e -f rsa.pub */
static const char RSA_RFC4716[] =
	"---- BEGIN SSH2 PUBLIC KEY ----\n"
	"Comment: \"1024-bit RSA, converted by root@vm from OpenSSH\"\n"
	"AAAAB3NzaC1yc2EAAAADAQABAAAAgQDRb50E+pjpTl7PAE9lUu5xLrC+h4s7CXHLsb37nr\n"
	"zX+ceHGrfRmrOdBvzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1Rm48NCn2Uykh7o9s7gbK5\n"
	"0HkavqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvLTEacVCHTe1KZJkhphacconyIfQ==\n"
	"---- END SSH2 PUBLIC KEY ----\n";

/* ssh-keygen -e -m PKCS8 -f rsa.pub */
static const char RSA_PEM_SPKI[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDRb50E+pjpTl7PAE9lUu5xLrC+\n"
	"h4s7CXHLsb37nrzX+ceHGrfRmrOdBvzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1R\n"
	"m48NCn2Uykh7o9s7gbK50HkavqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvLTEacVCHT\n"
	"e1KZJkhphacconyIfQIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

/* ssh-keygen -e -m PEM -f rsa.pub */
static const char RSA_PEM_PKCS1[] =
	"-----BEGIN RSA PUBLIC KEY-----\n"
	"MIGJAoGBANFvnQT6mOlOXs8AT2VS7nEusL6HizsJccuxvfuevNf5x4cat9Gas50G\n"
	"/Msd4j203SYICl11in3CeuQjnlF7W8sBrVGbjw0KfZTKSHuj2zuBsrnQeRq+pnkI\n"
	"NHNjXHC6D+nhppnDY7HDfANFS8tMRpxUIdN7UpkmSGmFpxyifIh9AgMBAAE=\n"
	"-----END RSA PUBLIC KEY-----\n";

/* openssl rsa -in rsa.pem -aes128 -passout pass:x -traditional */
static const char RSA_ENC[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"Proc-Type: 4,ENCRYPTED\n"
	"DEK-Info: AES-128-CBC,073984967526E728816CF6520F942583\n"
	"\n"
	"vdjibCCd3V+7w+z7A/x1NIFDU9ubnh+o2G3jSyOUcHB0cR3xGXdM2nPbupGXRTLs\n"
	"1oiYl457V1/jfN/R2/uS7wbBAAkWNZupcwP+6e7zPfzx6d3kCZuB9LV9rqAqi4UU\n"
	"2Sj5mSVbVdMBUM3r84En65yuTfG+4/THyu39w/0KIPhYx4lCEPSK3fD1bvycG8TK\n"
	"TczE4P9dOKtX8LoaWtATFpqjjeiuwnI+A0IzozoX7+TeFaJ7wddnZKoSf5ntu0/S\n"
	"IxsFZ3u3A7WWGvbQrnsOaIOZTtQFC5Rria64Em/dlwt545HqSq98t0sHJ9ZTrkSA\n"
	"A/Cr9OjRc2wnaV/zwc9luX3xXrB5Y2rGk0ch+O81KwxkObk+TWQ8KMuCDK/GveCS\n"
	"Ue9po8EwOy9fTQ7VbAPV5+rF8892PdkZ5JfYxo8CVpzLpHo4je6kvtYt74K0h2n0\n"
	"fWj8EcL6DXo7s0nCBMzpRD+827BKaun7lplPRPxoNcr1n2lnmGEslwnOzk6xvxAa\n"
	"JvttRJRPKn+DMcrDIIcacNtXrGVNfYr+k2rNssVb8UFh+dnBK8bdWIF/O+ePFv/p\n"
	"K8sDlDayBhAHRwOxMYA2gJp4AB93y/DNFeHUpmJ9/SDcx8Xc67/x0Z5MFw8DjZpl\n"
	"V1rptfcQg6yTRNoIJVXeo5YIKCyXMV3sXDRO4jVvVCKS7zp/pJuTRdfnZr5RYxuz\n"
	"jleZZfk8+K/VbXoDsdudd+Um/ma9vu/8lo+fWX69fVFc9X3LouSPRI7b45ek6wR8\n"
	"3CpiTS47s1ciMPQ2vHZLEQM7puxfAicwrEJdJpmuWopa+va+hNKNqn94XgMcmNUS\n"
	"-----END RSA PRIVATE KEY-----\n";

/* ssh-keygen -t ecdsa -N "" -C "" -f ec; ec.pub */
#define EC_PUB                                                                                     \
	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNCzpyfBt6G+owUIiHcqB2a" \
	"hvfX18bo9Eox6Ly9RvI99Vq0QC7uc+DW1YJnsFGt0f70gpUu7FzXxxQHoCmu9v4c="

static struct ssh_key *parse_pub(const char *text, enum ssh_key_format want_format)
{
	struct ssh_key *k = NULL;
	enum ssh_key_format fmt;
	assert_int_equal(ssh_key_parse_public(text, strlen(text), &k, &fmt), 0);
	assert_int_equal(fmt, want_format);
	return k;
}

static int parse_pub_err(const void *data, size_t size)
{
	struct ssh_key *k = NULL;
	enum ssh_key_format fmt;
	int r = ssh_key_parse_public(data, size, &k, &fmt);
	if (r == 0)
		ssh_key_free(k);
	return r;
}

static void assert_line(const struct ssh_key *k, const char *comment, const char *want)
{
	char *line = NULL;
	assert_int_equal(ssh_key_public_line(k, comment, &line), 0);
	assert_string_equal(line, want);
	free(line);
}

static void assert_fp(const struct ssh_key *k, enum ssh_fp kind, const char *want)
{
	char *fp = NULL;
	assert_int_equal(ssh_key_fingerprint(k, kind, &fp), 0);
	assert_string_equal(fp, want);
	free(fp);
}

/* The body of a PEM-armoured text, base64-decoded. */
static unsigned char *pem_decode(const char *pem, size_t *ret_size)
{
	const char *s = strchr(pem, '\n') + 1, *end = strstr(s, "-----END");
	char *b64 = malloc((size_t)(end - s) + 1);
	size_t n = 0;
	for (const char *p = s; p < end; p++)
		if (*p != '\n')
			b64[n++] = *p;
	unsigned char *out = malloc(n / 4 * 3 + 1);
	int size = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
	assert_true(size > 0);
	size -= (b64[n - 1] == '=') + (b64[n - 2] == '=');
	free(b64);
	*ret_size = (size_t)size;
	return out;
}

static void ed25519_public_forms(void **state)
{
	(void)state;
	/* ssh-keygen writes a trailing blank for an empty comment. */
	struct ssh_key *k = parse_pub(ED_PUB " \n", SSH_KEY_FMT_OPENSSH);
	assert_int_equal(ssh_key_get_type(k), SSH_KEY_ED25519);
	assert_int_equal(ssh_key_bits(k), 256);
	assert_line(k, NULL, ED_PUB);
	assert_line(k, "", ED_PUB);
	assert_line(k, "my key", ED_PUB " my key");
	assert_fp(k, SSH_FP_SHA256_B64, ED_SHA256);
	char *fp = NULL;
	assert_int_equal(ssh_key_fingerprint(k, SSH_FP_SHA1_PKCS8, &fp), -EINVAL); /* public only */
	assert_null(fp);
	ssh_key_free(k);

	k = parse_pub(ED_RFC4716, SSH_KEY_FMT_RFC4716);
	assert_line(k, NULL, ED_PUB);
	ssh_key_free(k);
	k = parse_pub("  \r\n" ED_PUB " user@host with spaces\r\n\r\n", SSH_KEY_FMT_OPENSSH);
	assert_line(k, NULL, ED_PUB);
	ssh_key_free(k);
}

static void ed25519_private_is_openssh_format(void **state)
{
	(void)state;
	struct ssh_key *k = NULL;
	char *ours = NULL;
	assert_int_equal(ssh_key_parse_private(ED_PRIV, strlen(ED_PRIV), &k), 0);
	assert_int_equal(ssh_key_get_type(k), SSH_KEY_ED25519);
	assert_line(k, NULL, ED_PUB);
	assert_fp(k, SSH_FP_SHA256_B64, ED_SHA256);
	assert_int_equal(ssh_key_private_text(k, &ours), 0);
	/* Byte for byte what ssh-keygen wrote, but for the random check
	 * words (offset 98: magic 15, "none" 8, "none" 8, "" 4, count 4, the
	 * public blob 4+51, the section length 4). */
	size_t n_theirs, n_ours;
	unsigned char *theirs = pem_decode(ED_PRIV, &n_theirs);
	unsigned char *mine = pem_decode(ours, &n_ours);
	assert_int_equal(n_ours, 234);
	assert_int_equal(n_ours, n_theirs);
	assert_memory_equal(mine, theirs, 98);
	assert_memory_equal(mine + 98, mine + 102, 4); /* the two check words agree */
	assert_memory_equal(mine + 106, theirs + 106, n_ours - 106);
	/* Armour and line length as OpenSSH writes them. */
	assert_true(strncmp(ours, "-----BEGIN OPENSSH PRIVATE KEY-----\n", 36) == 0);
	assert_int_equal(strcspn(ours + 36, "\n"), 70);
	assert_string_equal(ours + strlen(ours) - 34, "-----END OPENSSH PRIVATE KEY-----\n");
	free(theirs);
	free(mine);
	ssh_key_free_secret(ours);
	ssh_key_free(k);
}

static void rsa_fingerprints(void **state)
{
	(void)state;
	struct ssh_key *k = NULL;
	assert_int_equal(ssh_key_parse_private(RSA_PRIV, strlen(RSA_PRIV), &k), 0);
	assert_int_equal(ssh_key_get_type(k), SSH_KEY_RSA);
	assert_int_equal(ssh_key_bits(k), 1024);
	assert_line(k, NULL, RSA_PUB);
	assert_fp(k, SSH_FP_SHA1_PKCS8, RSA_SHA1_PKCS8);
	assert_fp(k, SSH_FP_MD5_SPKI, RSA_MD5_SPKI);
	assert_fp(k, SSH_FP_SHA256_B64, RSA_SHA256);
	char *pem = NULL;
	assert_int_equal(ssh_key_private_text(k, &pem), 0);
	assert_string_equal(pem, RSA_PRIV); /* PKCS#1, as OpenSSL writes it */
	ssh_key_free_secret(pem);
	ssh_key_free(k);

	/* The public half alone gives the imported-key fingerprint only. */
	k = parse_pub(RSA_PUB " someone@example", SSH_KEY_FMT_OPENSSH);
	assert_fp(k, SSH_FP_MD5_SPKI, RSA_MD5_SPKI);
	char *fp = NULL;
	assert_int_equal(ssh_key_fingerprint(k, SSH_FP_SHA1_PKCS8, &fp), -EINVAL);
	assert_int_equal(ssh_key_private_text(k, &pem), -EINVAL);
	ssh_key_free(k);
}

static void rsa_public_forms(void **state)
{
	(void)state;
	const struct {
		const char *text;
		enum ssh_key_format format;
	} forms[] = {
		{ RSA_PUB, SSH_KEY_FMT_OPENSSH },
		{ RSA_RFC4716, SSH_KEY_FMT_RFC4716 },
		{ RSA_PEM_SPKI, SSH_KEY_FMT_DER },
		{ RSA_PEM_PKCS1, SSH_KEY_FMT_DER },
		{ RSA_DER_B64, SSH_KEY_FMT_DER },
		{ RSA_DER_B64 "\n", SSH_KEY_FMT_DER },
		/* RFC 4716 §3.3: a header continued onto the next line */
		{ "---- BEGIN SSH2 PUBLIC KEY ----\nSubject: me\nComment: \"a long \\\nstory\"\n"
		  "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDRb50E+pjpTl7PAE9lUu5xLrC+h4s7CXHLsb37nr\n"
		  "zX+ceHGrfRmrOdBvzLHeI9tN0mCApddYp9wnrkI55Re1vLAa1Rm48NCn2Uykh7o9s7gbK5\n"
		  "0HkavqZ5CDRzY1xwug/p4aaZw2Oxw3wDRUvLTEacVCHTe1KZJkhphacconyIfQ==\n"
		  "---- END SSH2 PUBLIC KEY ----\n",
		  SSH_KEY_FMT_RFC4716 },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct ssh_key *k = parse_pub(forms[i].text, forms[i].format);
		assert_line(k, NULL, RSA_PUB);
		assert_fp(k, SSH_FP_MD5_SPKI, RSA_MD5_SPKI);
		ssh_key_free(k);
	}
	/* Raw DER, as `--public-key-material fileb://key.der` sends it. */
	size_t n = strlen(RSA_DER_B64);
	unsigned char *der = malloc(n / 4 * 3 + 1);
	int size = EVP_DecodeBlock(der, (const unsigned char *)RSA_DER_B64, (int)n);
	struct ssh_key *k = NULL;
	enum ssh_key_format fmt;
	assert_int_equal(ssh_key_parse_public(der, (size_t)size, &k, &fmt), 0);
	assert_int_equal(fmt, SSH_KEY_FMT_DER);
	assert_line(k, NULL, RSA_PUB);
	ssh_key_free(k);
	assert_int_equal(parse_pub_err(der, (size_t)size - 1), -EINVAL);
	free(der);
}

/* RSA_PUB with its exponent (01 00 01) re-encoded as the SSH string e. */
static char *rsa_line_with_e(const char *e, size_t e_size)
{
	const char *b64 = &RSA_PUB[8]; /* past "ssh-rsa " */
	size_t n = strlen(b64);
	unsigned char *blob = malloc(n / 4 * 3 + e_size);
	int size = EVP_DecodeBlock(blob, (const unsigned char *)b64, (int)n) - 2;
	/* string "ssh-rsa" (11 bytes), string e (7), string n */
	memmove(blob + 11 + e_size, blob + 18, (size_t)size - 18);
	memcpy(blob + 11, e, e_size);
	size = size - 7 + (int)e_size;
	char *line = malloc(8 + 4 * ((size_t)size + 2) / 3 + 1);
	memcpy(line, "ssh-rsa ", 8);
	EVP_EncodeBlock((unsigned char *)line + 8, blob, size);
	free(blob);
	return line;
}

static void mpints_as_openssh_reads_them(void **state)
{
	(void)state;
	/* A needless leading zero: ssh-keygen -l takes it (same SHA256 as
	 * the canonical key), and so do we, writing the canonical blob. */
	char *line = rsa_line_with_e("\0\0\0\4\0\1\0\1", 8);
	struct ssh_key *k = parse_pub(line, SSH_KEY_FMT_OPENSSH);
	assert_line(k, NULL, RSA_PUB);
	assert_fp(k, SSH_FP_SHA256_B64, RSA_SHA256);
	ssh_key_free(k);
	free(line);
	/* Negative, zero, even: not an RSA exponent. */
	static const char *const bad_e[] = { "\0\0\0\3\x81\0\1", "\0\0\0\0",
					     "\0\0\0\3\1\0\2", "\0\0\0\1\1" };
	static const size_t bad_size[] = { 7, 4, 7, 5 };
	for (size_t i = 0; i < 4; i++) {
		line = rsa_line_with_e(bad_e[i], bad_size[i]);
		assert_int_equal(parse_pub_err(line, strlen(line)), -EINVAL);
		free(line);
	}
}

static void malformed_keys_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"   \n",
		"ssh-rsa notbase64!",
		"ssh-rsa",
		"ssh-rsa ",
		/* the type named in the text must be the blob's */
		"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA",
		/* truncated blob; trailing bytes after the key */
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKO",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHAAAAA",
		/* base64 padding in the middle, a quantum cut short */
		"ssh-ed25519 AAAAC3Nz=C1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOH",
		/* a second key on another line: one key per import */
		ED_PUB "\n" ED_PUB,
		/* authorized_keys options are not part of a public key */
		"from=\"10.0.0.1\" " ED_PUB,
		/* a control character in the comment */
		ED_PUB " a\x01z",
		/* RFC 4716 without its END line, or with nothing inside */
		"---- BEGIN SSH2 PUBLIC KEY ----\n"
		"AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA\n",
		"---- BEGIN SSH2 PUBLIC KEY ----\n---- END SSH2 PUBLIC KEY ----\n",
		/* base64 that is not DER */
		"QUJDRA==",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_pub_err(bad[i], strlen(bad[i])), -EINVAL);

	/* PEM with another key after it */
	char two[2 * sizeof(RSA_PEM_SPKI)];
	snprintf(two, sizeof(two), "%s%s", RSA_PEM_SPKI, RSA_PEM_SPKI);
	assert_int_equal(parse_pub_err(two, strlen(two)), -EINVAL);

	/* A NUL inside the text; past the size bound. */
	assert_int_equal(parse_pub_err(ED_PUB "\0 x", sizeof(ED_PUB "\0 x") - 1), -EINVAL);
	char *big = malloc(SSH_KEY_INPUT_MAX + 2);
	memset(big, 'A', SSH_KEY_INPUT_MAX + 1);
	big[SSH_KEY_INPUT_MAX + 1] = '\0';
	assert_int_equal(parse_pub_err(big, SSH_KEY_INPUT_MAX + 1), -E2BIG);
	free(big);
}

static void other_algorithms_are_unsupported(void **state)
{
	(void)state;
	assert_int_equal(parse_pub_err(EC_PUB, strlen(EC_PUB)), -EOPNOTSUPP);
}

static void encrypted_private_keys_fail_without_prompting(void **state)
{
	(void)state;
	struct ssh_key *k = NULL;
	assert_int_equal(ssh_key_parse_private(ED_ENC, strlen(ED_ENC), &k), -EINVAL);
	assert_int_equal(ssh_key_parse_private(RSA_ENC, strlen(RSA_ENC), &k), -EINVAL);
	assert_int_equal(ssh_key_parse_private(ED_PUB, strlen(ED_PUB), &k), -EINVAL);
	assert_null(k);
}

static void generated_keys_round_trip(void **state)
{
	(void)state;
	static const struct {
		enum ssh_key_type type;
		const char *armour;
	} cases[] = {
		{ SSH_KEY_ED25519, "-----BEGIN OPENSSH PRIVATE KEY-----\n" },
		{ SSH_KEY_RSA, "-----BEGIN RSA PRIVATE KEY-----\n" },
	};
	for (size_t i = 0; i < 2; i++) {
		struct ssh_key *k = NULL, *again = NULL, *pub = NULL;
		char *text = NULL, *line = NULL, *line2 = NULL, *fp = NULL;
		enum ssh_key_format fmt;
		assert_int_equal(ssh_key_generate(cases[i].type, 2048, &k), 0);
		assert_int_equal(ssh_key_get_type(k), cases[i].type);
		assert_int_equal(ssh_key_bits(k), cases[i].type == SSH_KEY_RSA ? 2048 : 256);
		assert_int_equal(ssh_key_private_text(k, &text), 0);
		assert_true(strncmp(text, cases[i].armour, strlen(cases[i].armour)) == 0);
		/* The private text reads back as the same key … */
		assert_int_equal(ssh_key_parse_private(text, strlen(text), &again), 0);
		assert_int_equal(ssh_key_public_line(k, "name", &line), 0);
		assert_int_equal(ssh_key_public_line(again, "name", &line2), 0);
		assert_string_equal(line, line2);
		free(line2);
		/* … and so does the public line. */
		assert_int_equal(ssh_key_parse_public(line, strlen(line), &pub, &fmt), 0);
		assert_int_equal(ssh_key_public_line(pub, "name", &line2), 0);
		assert_string_equal(line, line2);
		/* Fingerprint shapes: 20 and 16 bytes as colon hex, 32 as base64. */
		assert_int_equal(ssh_key_fingerprint(k, SSH_FP_SHA256_B64, &fp), 0);
		assert_int_equal(strlen(fp), 44);
		assert_int_equal(fp[43], '=');
		free(fp);
		assert_int_equal(ssh_key_fingerprint(k, SSH_FP_MD5_SPKI, &fp), 0);
		assert_int_equal(strlen(fp), 47);
		free(fp);
		assert_int_equal(ssh_key_fingerprint(k, SSH_FP_SHA1_PKCS8, &fp), 0);
		assert_int_equal(strlen(fp), 59);
		free(fp);
		free(line);
		free(line2);
		ssh_key_free_secret(text);
		ssh_key_free(pub);
		ssh_key_free(again);
		ssh_key_free(k);
	}
	/* Two ED25519 keys differ. */
	struct ssh_key *a = NULL, *b = NULL;
	char *la = NULL, *lb = NULL;
	assert_int_equal(ssh_key_generate(SSH_KEY_ED25519, 0, &a), 0);
	assert_int_equal(ssh_key_generate(SSH_KEY_ED25519, 0, &b), 0);
	assert_int_equal(ssh_key_public_line(a, NULL, &la), 0);
	assert_int_equal(ssh_key_public_line(b, NULL, &lb), 0);
	assert_string_not_equal(la, lb);
	free(la);
	free(lb);
	ssh_key_free(a);
	ssh_key_free(b);
	ssh_key_free(NULL);
	ssh_key_free_secret(NULL);
}

/* model/key_pair: AWS's rules over these keys. */
static void aws_key_pair_rules(void **state)
{
	(void)state;
	char name[KEY_NAME_MAX + 2];
	memset(name, 'k', sizeof(name) - 1);
	name[KEY_NAME_MAX] = '\0';
	assert_true(key_pair_name_valid(name));
	name[KEY_NAME_MAX] = 'k';
	name[KEY_NAME_MAX + 1] = '\0';
	assert_false(key_pair_name_valid(name));
	assert_true(key_pair_name_valid("a"));
	assert_true(key_pair_name_valid("my key (prod) #1"));
	assert_false(key_pair_name_valid(""));
	assert_false(key_pair_name_valid(" lead"));
	assert_false(key_pair_name_valid("trail "));
	assert_false(key_pair_name_valid("two\nlines"));
	assert_false(key_pair_name_valid("del\x7f"));
	assert_false(key_pair_name_valid("caf\xc3\xa9"));

	enum ssh_key_type t;
	assert_int_equal(key_pair_type_parse("rsa", &t), 0);
	assert_int_equal(t, SSH_KEY_RSA);
	assert_int_equal(key_pair_type_parse("ed25519", &t), 0);
	assert_int_equal(t, SSH_KEY_ED25519);
	assert_int_equal(key_pair_type_parse("dsa", &t), -EINVAL);
	assert_int_equal(key_pair_type_parse("RSA", &t), -EINVAL);
	assert_string_equal(key_pair_type_name(SSH_KEY_ED25519), "ed25519");

	assert_true(key_pair_import_allowed(SSH_KEY_RSA, 1024, SSH_KEY_FMT_OPENSSH));
	assert_true(key_pair_import_allowed(SSH_KEY_RSA, 2048, SSH_KEY_FMT_RFC4716));
	assert_true(key_pair_import_allowed(SSH_KEY_RSA, 3072, SSH_KEY_FMT_DER));
	assert_true(key_pair_import_allowed(SSH_KEY_RSA, 4096, SSH_KEY_FMT_OPENSSH));
	assert_false(key_pair_import_allowed(SSH_KEY_RSA, 768, SSH_KEY_FMT_OPENSSH));
	assert_false(key_pair_import_allowed(SSH_KEY_RSA, 8192, SSH_KEY_FMT_OPENSSH));
	assert_true(key_pair_import_allowed(SSH_KEY_ED25519, 256, SSH_KEY_FMT_OPENSSH));
	assert_false(key_pair_import_allowed(SSH_KEY_ED25519, 256, SSH_KEY_FMT_RFC4716));
	assert_false(key_pair_import_allowed(SSH_KEY_ED25519, 256, SSH_KEY_FMT_DER));

	assert_int_equal(key_pair_fingerprint_kind(SSH_KEY_RSA, false), SSH_FP_SHA1_PKCS8);
	assert_int_equal(key_pair_fingerprint_kind(SSH_KEY_RSA, true), SSH_FP_MD5_SPKI);
	assert_int_equal(key_pair_fingerprint_kind(SSH_KEY_ED25519, false), SSH_FP_SHA256_B64);
	assert_int_equal(key_pair_fingerprint_kind(SSH_KEY_ED25519, true), SSH_FP_SHA256_B64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ed25519_public_forms),
		cmocka_unit_test(ed25519_private_is_openssh_format),
		cmocka_unit_test(rsa_fingerprints),
		cmocka_unit_test(rsa_public_forms),
		cmocka_unit_test(mpints_as_openssh_reads_them),
		cmocka_unit_test(malformed_keys_are_refused),
		cmocka_unit_test(other_algorithms_are_unsupported),
		cmocka_unit_test(encrypted_private_keys_fail_without_prompting),
		cmocka_unit_test(generated_keys_round_trip),
		cmocka_unit_test(aws_key_pair_rules),
	};
	return cmocka_run_group_tests_name("ssh_key", tests, NULL, NULL);
}
