// SPDX-License-Identifier: MIT
/* Key pairs over the EC2 Query API: CreateKeyPair (the private key is
 * returned once and never stored: checklist 25), ImportKeyPair,
 * DeleteKeyPair, DescribeKeyPairs. */
#include <errno.h>
#include <openssl/crypto.h>
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

#define KEY_PAIRS_MAX 5000 /* spec §22 */

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

/* Name rules, uniqueness and the quota, shared by create and import. */
static int check_new(struct api_call *c, const char *name)
{
	struct key_pair *k;
	size_t n;
	if (!key_pair_name_valid(name))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				"Key names must be 1 to 255 printable ASCII characters");
	int r = store_key_pair_get_by_name(c->st, c->arena, name, &k);
	if (r == 0)
		return api_fail(c, ERR_KEY_PAIR_DUPLICATE, name);
	if (r != -ENOENT || store_key_pair_count(c->st, &n) < 0)
		return internal(c);
	if (n >= KEY_PAIRS_MAX)
		return api_fail(c, ERR_KEY_PAIR_LIMIT);
	return 0;
}

static int save(struct api_call *c, struct key_pair *k, const struct tag_list *tags)
{
	id_new("key", k->head.id);
	k->create_time = c->now;
	k->head.tags = *tags;
	if (store_key_pair_insert(c->st, k) < 0 || store_tags_set(c->st, k->head.id, tags) < 0)
		return internal(c);
	return 0;
}

static int create_key_pair(struct api_call *c)
{
	const char *name, *type = "rsa", *format = "pem";
	struct tag_list tags = { 0 };
	int r;
	if ((r = api_get_str(c, "KeyName", true, &name)) < 0 ||
	    (r = api_get_str(c, "KeyType", false, &type)) < 0 ||
	    (r = api_get_str(c, "KeyFormat", false, &format)) < 0 ||
	    (r = api_get_tag_specs(c, "key-pair", &tags)) < 0)
		return r;
	if (strcmp(type, "rsa") && strcmp(type, "ed25519"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for KeyType", type));
	if (strcmp(format, "pem") && strcmp(format, "ppk"))
		return api_fail(c, ERR_INVALID_PARAMETER_VALUE,
				arena_printf(c->arena, "Invalid value '%s' for KeyFormat", format));
	if (!strcmp(format, "ppk"))
		return api_fail(c, ERR_UNSUPPORTED_OPERATION,
				"localvpc returns keys in pem format only");
	if ((r = check_new(c, name)) < 0 || (r = api_dry_run(c)) < 0)
		return r;
	char *priv = NULL, *pub = NULL, *fp = NULL;
	if (ssh_key_generate(!strcmp(type, "rsa") ? SSH_KEY_RSA : SSH_KEY_ED25519, &priv, &pub,
			     &fp) < 0)
		return internal(c);
	struct key_pair k = { .name = name, .type = type,
			      .fingerprint = arena_strdup(c->arena, fp),
			      .public_key = arena_strdup(c->arena, pub) };
	r = save(c, &k, &tags);
	if (r == 0) {
		xml_str(c->x, "keyName", name);
		xml_str(c->x, "keyFingerprint", k.fingerprint);
		xml_str(c->x, "keyMaterial", priv);
		xml_str(c->x, "keyPairId", k.head.id);
		api_write_tags(c, &tags);
	}
	OPENSSL_cleanse(priv, strlen(priv));
	free(priv);
	free(pub);
	free(fp);
	return r;
}

static int import_key_pair(struct api_call *c)
{
	const char *name, *material;
	struct tag_list tags = { 0 };
	int r;
	if ((r = api_get_str(c, "KeyName", true, &name)) < 0 ||
	    (r = api_get_str(c, "PublicKeyMaterial", true, &material)) < 0 ||
	    (r = api_get_tag_specs(c, "key-pair", &tags)) < 0)
		return r;
	/* PublicKeyMaterial is a blob: base64 of the OpenSSH public key line. */
	size_t len = strlen(material);
	char *line = arena_alloc(c->arena, len / 4 * 3 + 4);
	int n = len % 4 ? -1 : EVP_DecodeBlock((unsigned char *)line, (const unsigned char *)material, (int)len);
	if (n < 0)
		return api_fail(c, ERR_KEY_FORMAT, "Key is not in valid OpenSSH public key format");
	line[n] = '\0';
	enum ssh_key_type type;
	char *pub, *fp;
	if (ssh_key_parse_public(line, &type, &pub, &fp) < 0)
		return api_fail(c, ERR_KEY_FORMAT, "Key is not in valid OpenSSH public key format");
	struct key_pair k = { .name = name, .type = type == SSH_KEY_RSA ? "rsa" : "ed25519",
			      .fingerprint = arena_strdup(c->arena, fp),
			      .public_key = arena_strdup(c->arena, pub) };
	free(pub);
	free(fp);
	if ((r = check_new(c, name)) < 0 || (r = api_dry_run(c)) < 0 || (r = save(c, &k, &tags)) < 0)
		return r;
	xml_str(c->x, "keyFingerprint", k.fingerprint);
	xml_str(c->x, "keyName", name);
	xml_str(c->x, "keyPairId", k.head.id);
	api_write_tags(c, &tags);
	return 0;
}

static int delete_key_pair(struct api_call *c)
{
	const char *name = NULL, *id = NULL;
	struct key_pair *all;
	size_t n;
	int r;
	if ((r = api_get_str(c, "KeyName", false, &name)) < 0 ||
	    (r = api_get_str(c, "KeyPairId", false, &id)) < 0)
		return r;
	if (!name && !id)
		return api_fail(c, ERR_MISSING_PARAMETER, "KeyName");
	if (id && !id_has_prefix(id, "key"))
		return api_fail(c, ERR_KEY_PAIR_ID_MALFORMED, id);
	if (store_key_pair_list(c->st, c->arena, &all, &n) < 0)
		return internal(c);
	const struct key_pair *k = NULL;
	for (size_t i = 0; i < n && !k; i++)
		if ((name && !strcmp(all[i].name, name)) || (id && !strcmp(all[i].head.id, id)))
			k = &all[i];
	/* AWS: deleting a key pair that does not exist succeeds (by name). */
	if (!k && id)
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

static bool include_public;

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
	if (include_public)
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
		.set_name = "keySet",
		.item_size = sizeof(struct key_pair),
		.values = key_values,
		.write = key_write,
	};
	struct key_pair *v;
	size_t n, k = 0;
	const char **names;
	size_t n_names;
	bool pub = false;
	int r;
	if ((r = api_get_str_list(c, "KeyName", &names, &n_names)) < 0 ||
	    (r = api_get_bool(c, "IncludePublicKey", &pub)) < 0)
		return r;
	if (store_key_pair_list(c->st, c->arena, &v, &n) < 0)
		return internal(c);
	/* KeyName.N selects by name; each must exist. */
	for (size_t i = 0; i < n_names; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = !strcmp(v[j].name, names[i]);
		if (!found)
			return api_fail(c, ERR_KEY_PAIR_NOT_FOUND_RUN, names[i]);
	}
	for (size_t j = 0; j < n; j++) {
		bool wanted = !n_names;
		for (size_t i = 0; i < n_names; i++)
			wanted |= !strcmp(v[j].name, names[i]);
		if (wanted)
			v[k++] = v[j];
	}
	include_public = pub; /* the daemon serves one request at a time */
	return api_describe(c, &spec, v, k);
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
