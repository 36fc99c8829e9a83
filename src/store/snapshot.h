// SPDX-License-Identifier: MIT
/* Reads the whole desired state for the reconciler in one read transaction. */
#ifndef STORE_SNAPSHOT_H
#define STORE_SNAPSHOT_H

struct store;
struct arena;
struct snapshot;

int store_snapshot_load(struct store *st, struct arena *a, struct snapshot *ret);

#endif
