// SPDX-License-Identifier: GPL-2.0
/*
 * The outstanding-call table of one peer: which CALLs are out, where
 * their replies go, and what became of them.  Pure (no locks, no
 * allocation): the caller holds the peer's call_lock and provides the
 * slots, so the host tests (tests/host/test_fit_calls.c) drive it alone.
 *
 * A call's life:  fit_calls_get() (FREE -> WAITING) when it is sent;
 * fit_calls_lookup() + fit_calls_complete() (WAITING -> DONE) when its
 * reply arrives or fit_calls_fail() when its QP or peer goes down;
 * fit_calls_put() (-> FREE) when the caller returns, with or without a
 * result.
 *
 * A request id is gen << 32 | (index + 1).  The slot's gen is bumped at
 * every get, so once the caller has put an id (for instance after a
 * timeout), a late reply carrying it no longer matches: the slot is FREE,
 * or WAITING under a newer gen.  The index is offset by one so that no id
 * is 0, and gen skips 0 when it wraps for the same reason.  A stale id
 * could match again only after its slot has been handed out 2^32 - 1
 * more times; searches start after the slot last handed out, so that a
 * freed slot is reused as late as possible.
 */
#include "internal.h"

void fit_calls_init(struct fit_call_table *t, struct fit_call_slot *slots,
		    u32 nr, u32 per_qp_max)
{
	memset(t, 0, sizeof(*t));
	memset(slots, 0, nr * sizeof(*slots));
	t->slots = slots;
	t->nr = nr;
	t->per_qp_max = per_qp_max;
}

static u64 fit_call_id(const struct fit_call_table *t,
		       const struct fit_call_slot *s)
{
	return (u64)s->gen << 32 | (u32)(s - t->slots + 1);
}

/* The slot @req_id names, whatever its state, if its gen still matches. */
static struct fit_call_slot *fit_calls_find(const struct fit_call_table *t,
					    u64 req_id)
{
	u32 index = (u32)req_id;
	struct fit_call_slot *s;

	if (!index || index > t->nr)
		return NULL;
	s = &t->slots[index - 1];
	if (s->state == FIT_CALL_FREE || s->gen != (u32)(req_id >> 32))
		return NULL;
	return s;
}

u64 fit_calls_get(struct fit_call_table *t, u8 qp, void *reply, u32 cap,
		  u64 now)
{
	struct fit_call_slot *s;
	u32 i;

	if (qp >= FIT_MAX_QPS || t->used >= t->nr)
		return 0;
	if (t->per_qp_max && t->per_qp_used[qp] >= t->per_qp_max)
		return 0;
	/* used < nr: the search finds a free slot within nr steps. */
	for (i = t->next; t->slots[i].state != FIT_CALL_FREE;)
		i = i + 1 < t->nr ? i + 1 : 0;
	t->next = i + 1 < t->nr ? i + 1 : 0;

	s = &t->slots[i];
	if (!++s->gen)
		s->gen = 1;
	s->state = FIT_CALL_WAITING;
	s->qp = qp;
	s->result = 0;
	s->reply = reply;
	s->cap = cap;
	s->t_start = now;
	t->used++;
	t->per_qp_used[qp]++;
	return fit_call_id(t, s);
}

struct fit_call_slot *fit_calls_lookup(struct fit_call_table *t, u64 req_id)
{
	struct fit_call_slot *s = fit_calls_find(t, req_id);

	return s && s->state == FIT_CALL_WAITING ? s : NULL;
}

void fit_calls_complete(struct fit_call_table *t, struct fit_call_slot *s,
			s32 result)
{
	/* Only a WAITING slot has a result to give; a DONE one keeps its. */
	if (s->state != FIT_CALL_WAITING)
		return;
	s->state = FIT_CALL_DONE;
	s->result = result;
}

bool fit_calls_put(struct fit_call_table *t, u64 req_id, s32 *result)
{
	struct fit_call_slot *s = fit_calls_find(t, req_id);
	bool done;

	if (!s)
		return false;
	done = s->state == FIT_CALL_DONE;
	if (done && result)
		*result = s->result;
	/* The gen stays: the next get bumps it, retiring @req_id for good. */
	s->state = FIT_CALL_FREE;
	s->reply = NULL;
	t->used--;
	t->per_qp_used[s->qp]--;
	return done;
}

bool fit_calls_done(const struct fit_call_table *t, u64 req_id)
{
	const struct fit_call_slot *s = fit_calls_find(t, req_id);

	return s && s->state == FIT_CALL_DONE;
}

u32 fit_calls_fail(struct fit_call_table *t, int qp, s32 err)
{
	struct fit_call_slot *s;
	u32 i, n = 0;

	for (i = 0; i < t->nr; i++) {
		s = &t->slots[i];
		if (s->state != FIT_CALL_WAITING || (qp >= 0 && s->qp != qp))
			continue;
		fit_calls_complete(t, s, err);
		n++;
	}
	return n;
}
