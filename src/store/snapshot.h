// SPDX-License-Identifier: MIT
/* Reads the whole desired state for the reconciler in one read transaction. */
#ifndef STORE_SNAPSHOT_H
#define STORE_SNAPSHOT_H

struct store;
struct arena;
struct snapshot;

int store_snapshot_load(struct store *st, struct arena *a, struct snapshot *ret);
/* The same inside the caller's open transaction (an API call's), which it
 * neither begins nor ends: the view includes the call's own writes. */
int store_snapshot_load_in_tx(struct store *st, struct arena *a, struct snapshot *ret);

#endif
