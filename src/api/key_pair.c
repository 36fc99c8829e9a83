// SPDX-License-Identifier: MIT
/* Key pairs over the EC2 Query API (spec INS-13..17): CreateKeyPair,
 * ImportKeyPair, DeleteKeyPair, DescribeKeyPairs.  The private key that
 * CreateKeyPair returns goes into the response and nowhere else: never to
 * the store, never to a log (checklist 25). */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/actions.h"
#include "api/call.h"
#include "api/describe.h"
#include "api/key_lookup.h"
#include "model/key_pair.h"
#include "store/key_pair.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/ssh_key.h"

#define BAD_KEY "Key is not in valid OpenSSH public key format"

static int internal(struct api_call *c)
{
	return api_fail(c, ERR_INTERNAL);
}

int api_key_public(struct api_call *c, const char *name, const char **ret)
{
	struct key_pair *k;
	int r = store_key_pair_get_by_name(c->st, c->arena, name, &k);
	if (r == -ENOENT)
		return api_fail(c, ERR_KEY_PAIR_NOT_FOUND_RUN, name);
	if (r < 0)
		return internal(c);
	*ret = k->public_key;
	return 0;
}

static int check_name(struct api_call *c, const char *name)
{
	if (!key_pair_name_valid(name))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Key names must be 1 to 255 printable ASCII characters, without "
				"leading or trailing spaces");
	return 0;
}

/* Uniqueness and the quota, shared by create and import. */
static int check_new(struct api_call *c, const char *name)
{
	struct key_pair *k;
	size_t n;
	int r = store_key_pair_get_by_name(c->st, c->arena, name, &k);
	if (r == 0)
		return api_fail(c, ERR_KEY_PAIR_DUPLICATE, name);
	if (r != -ENOENT || store_key_pair_count(c->st, &n) < 0)
		return internal(c);
	if (n >= KEY_PAIRS_MAX)
		return api_fail(c, ERR_KEY_PAIR_LIMIT);
	return 0;
}

/* Fills in the public half of k from key and stores it with its tags. */
static int save(struct api_call *c, struct key_pair *k, const struct ssh_key *key,
		bool is_imported, const struct tag_list *tags)
{
	enum ssh_key_type type = ssh_key_get_type(key);
	char *pub = NULL, *fp = NULL;
	/* AWS: the public key EC2 keeps (IMDS openssh-key, DescribeKeyPairs
	 * IncludePublicKey) ends with the key pair's name as its comment. */
	if (ssh_key_public_line(key, k->name, &pub) < 0 ||
	    ssh_key_fingerprint(key, key_pair_fingerprint_kind(type, is_imported), &fp) < 0) {
		free(pub);
		return internal(c);
	}
	id_new("key", k->head.id);
	k->type = key_pair_type_name(type);
	k->public_key = arena_strdup(c->arena, pub);
	k->fingerprint = arena_strdup(c->arena, fp);
	k->create_time = c->now;
	k->head.tags = *tags;
	free(pub);
	free(fp);
	if (store_key_pair_insert(c->st, k) < 0 || store_tags_set(c->st, k->head.id, tags) < 0)
		return internal(c);
	return 0;
}

static int create_key_pair(struct api_call *c)
{
	const char *name, *type_s = "rsa", *format = "pem";
	struct tag_list tags = { 0 };
	enum ssh_key_type type;
	int r;
	if ((r = api_get_str(c, "KeyName", true, &name)) < 0 ||
	    (r = api_get_str(c, "KeyType", false, &type_s)) < 0 ||
	    (r = api_get_str(c, "KeyFormat", false, &format)) < 0 ||
	    (r = api_get_tag_specs(c, "key-pair", &tags)) < 0 || (r = check_name(c, name)) < 0)
		return r;
	if (key_pair_type_parse(type_s, &type) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for KeyType", type_s));
	if (strcmp(format, "pem") && strcmp(format, "ppk"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for KeyFormat", format));
	if (!strcmp(format, "ppk"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"localvpc returns private keys in pem format only");
	if ((r = check_new(c, name)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	struct ssh_key *key = NULL;
	char *priv = NULL;
	struct key_pair k = { .name = name };
	if (ssh_key_generate(type, KEY_PAIR_RSA_BITS, &key) < 0 ||
	    ssh_key_private_text(key, &priv) < 0) {
		r = internal(c);
		goto out;
	}
	if ((r = save(c, &k, key, false, &tags)) < 0)
		goto out;
	xml_str(c->x, "keyName", name);
	xml_str(c->x, "keyFingerprint", k.fingerprint);
	xml_str(c->x, "keyMaterial", priv);
	xml_str(c->x, "keyPairId", k.head.id);
	api_write_tags(c, &tags);
out:
	ssh_key_free_secret(priv);
	ssh_key_free(key);
	return r;
}

/* PublicKeyMaterial is a blob: base64 on the wire (botocore and the aws CLI
 * encode it).  What it carries is util/ssh_key's to read. */
static int get_material(struct api_call *c, const unsigned char **ret, size_t *ret_size)
{
	const char *b64;
	int r = api_get_str(c, "PublicKeyMaterial", true, &b64);
	if (r < 0)
		return r;
	size_t len = strlen(b64);
	if (len / 4 * 3 > SSH_KEY_INPUT_MAX)
		return api_fail(c, ERR_KEY_FORMAT, "Key is too long");
	unsigned char *out = arena_alloc(c->arena, len / 4 * 3 + 1);
	int n = len && len % 4 == 0 ? EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len) : -1;
	if (n < 0)
		return api_fail(c, ERR_KEY_FORMAT, "Invalid BASE64 encoding of PublicKeyMaterial");
	/* EVP_DecodeBlock counts the padding as data: remove it. */
	if (b64[len - 1] == '=')
		n--;
	if (len > 1 && b64[len - 2] == '=')
		n--;
	*ret = out;
	*ret_size = (size_t)n;
	return 0;
}

static int import_key_pair(struct api_call *c)
{
	const char *name;
	const unsigned char *material = NULL;
	size_t size = 0;
	struct tag_list tags = { 0 };
	struct ssh_key *key = NULL;
	enum ssh_key_format format;
	struct key_pair k = { 0 };
	int r;
	if ((r = api_get_str(c, "KeyName", true, &name)) < 0 ||
	    (r = get_material(c, &material, &size)) < 0 ||
	    (r = api_get_tag_specs(c, "key-pair", &tags)) < 0 || (r = check_name(c, name)) < 0)
		return r;
	r = ssh_key_parse_public(material, size, &key, &format);
	if (r == -EOPNOTSUPP)
		return api_fail(c, ERR_KEY_FORMAT, "Only RSA and ED25519 keys are supported");
	if (r < 0)
		return api_fail(c, ERR_KEY_FORMAT, BAD_KEY);
	if (!key_pair_import_allowed(ssh_key_get_type(key), ssh_key_bits(key), format)) {
		r = api_fail(c, ERR_KEY_FORMAT,
			     ssh_key_get_type(key) == SSH_KEY_RSA
				     ? "RSA keys must be 1024 to 4096 bits long"
				     : BAD_KEY);
		goto out;
	}
	k.name = name;
	if ((r = check_new(c, name)) < 0 || (r = api_dry_run(c)) < 0 ||
	    (r = save(c, &k, key, true, &tags)) < 0)
		goto out;
	xml_str(c->x, "keyFingerprint", k.fingerprint);
	xml_str(c->x, "keyName", name);
	xml_str(c->x, "keyPairId", k.head.id);
	api_write_tags(c, &tags);
out:
	ssh_key_free(key);
	return r;
}

static int delete_key_pair(struct api_call *c)
{
	const char *name = NULL, *id = NULL;
	struct key_pair *k = NULL;
	int r;
	if ((r = api_get_str(c, "KeyName", false, &name)) < 0 ||
	    (r = api_get_str(c, "KeyPairId", false, &id)) < 0)
		return r;
	if (!name && !id)
		return api_fail(c, ERR_MISSING_PARAMETER, "KeyName or KeyPairId");
	if (id && !id_has_prefix(id, "key"))
		return api_fail(c, ERR_KEY_PAIR_ID_MALFORMED, id);
	r = id ? store_key_pair_get_by_id(c->st, c->arena, id, &k)
	       : store_key_pair_get_by_name(c->st, c->arena, name, &k);
	if (r < 0 && r != -ENOENT)
		return internal(c);
	/* AWS (INS-17): deleting a name that does not exist succeeds; an
	 * ID that names nothing does not. */
	if (r == -ENOENT && id)
		return api_fail(c, ERR_KEY_PAIR_NOT_FOUND_RUN, id);
	if ((r = api_dry_run(c)) < 0)
		return r;
	if (k && store_key_pair_delete(c->st, k->head.id) < 0)
		return internal(c);
	api_write_return(c);
	if (k)
		xml_str(c->x, "keyPairId", k->head.id);
	return 0;
}

/* AWS lists key-pair-id, fingerprint, key-name and the tag filters;
 * key-type is ours, matching the KeyType the response shows. */
static const char *const key_filters[] = { "key-name", "key-pair-id", "fingerprint", "key-type",
					   NULL };

static void key_values(struct api_call *c, const void *item, const char *name, struct strv *out)
{
	const struct key_pair *k = item;
	if (!strcmp(name, "key-name"))
		strv_add(c, out, k->name);
	else if (!strcmp(name, "key-pair-id"))
		strv_add(c, out, k->head.id);
	else if (!strcmp(name, "fingerprint"))
		strv_add(c, out, k->fingerprint);
	else if (!strcmp(name, "key-type"))
		strv_add(c, out, k->type);
}

static void key_write(struct api_call *c, const void *item)
{
	const struct key_pair *k = item;
	char when[32];
	time_t t = (time_t)k->create_time;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	xml_str(c->x, "keyPairId", k->head.id);
	xml_str(c->x, "keyName", k->name);
	xml_str(c->x, "keyFingerprint", k->fingerprint);
	xml_str(c->x, "keyType", k->type);
	api_write_tags(c, &k->head.tags);
	xml_str(c->x, "createTime", when);
	if (k->public_key) /* cleared unless IncludePublicKey */
		xml_str(c->x, "publicKey", k->public_key);
}

static int describe_key_pairs(struct api_call *c)
{
	static const struct describe_spec spec = {
		.id_param = "KeyPairId",
		.id_prefix = "key",
		.malformed = ERR_KEY_PAIR_ID_MALFORMED,
		.not_found = ERR_KEY_PAIR_NOT_FOUND_RUN,
		.filters = key_filters,
		.set_name = "keySet", /* no MaxResults: DescribeKeyPairs does not page */
		.item_size = sizeof(struct key_pair),
		.values = key_values,
		.write = key_write,
	};
	struct key_pair *v;
	size_t n, kept = 0;
	const char **names;
	size_t n_names;
	bool include_public = false;
	int r;
	if ((r = api_get_str_list(c, "KeyName", &names, &n_names)) < 0 ||
	    (r = api_get_bool(c, "IncludePublicKey", &include_public)) < 0)
		return r;
	if (store_key_pair_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	/* KeyName.N selects by name; each must exist (INS-16). */
	for (size_t i = 0; i < n_names; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = !strcmp(v[j].name, names[i]);
		if (!found)
			return api_fail(c, ERR_KEY_PAIR_NOT_FOUND_RUN, names[i]);
	}
	for (size_t j = 0; j < n; j++) {
		bool wanted = !n_names;
		for (size_t i = 0; i < n_names && !wanted; i++)
			wanted = !strcmp(v[j].name, names[i]);
		if (!wanted)
			continue;
		v[kept] = v[j];
		if (!include_public)
			v[kept].public_key = NULL;
		kept++;
	}
	return api_describe(c, &spec, v, kept);
}

const struct api_action api_key_pair_actions[] = {
	{ "CreateKeyPair", create_key_pair,
	  API_PARAMS("KeyName", "KeyType", "KeyFormat", "TagSpecification") },
	{ "ImportKeyPair", import_key_pair,
	  API_PARAMS("KeyName", "PublicKeyMaterial", "TagSpecification") },
	{ "DeleteKeyPair", delete_key_pair, API_PARAMS("KeyName", "KeyPairId") },
	{ "DescribeKeyPairs", describe_key_pairs,
	  API_PARAMS("KeyName", "KeyPairId", "Filter", "IncludePublicKey") },
	{ NULL, NULL, NULL },
};
