/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 24-bit packet sequence numbers (IBTA 9.7; notes B.6).
 *
 * PSNs count modulo 2^24.  Two PSNs are compared by their distance taken
 * as a signed 24-bit number: psn_diff(a, b) is in (-2^23, 2^23], positive
 * when a is after b.  The responder splits the PSN space around its
 * expected PSN the same way: the 2^23 - 1 PSNs behind it are duplicates,
 * the 2^23 ahead of it are out of sequence (IBTA 9.7).
 */
#ifndef _SROCE_PSN_H
#define _SROCE_PSN_H

#include <lego/types.h>
#include <uapi/lego/roce.h>

#define PSN_MASK	ROCE_PSN_MASK
#define PSN_HALF	(1u << 23)

static inline u32 psn_add(u32 psn, s32 n)
{
	return (psn + (u32)n) & PSN_MASK;
}

/* a - b as a signed distance in (-2^23, 2^23]. */
static inline s32 psn_diff(u32 a, u32 b)
{
	u32 d = (a - b) & PSN_MASK;

	return d > PSN_HALF ? (s32)d - (s32)(PSN_MASK + 1) : (s32)d;
}

static inline bool psn_before(u32 a, u32 b)
{
	return psn_diff(a, b) < 0;
}

static inline bool psn_after(u32 a, u32 b)
{
	return psn_diff(a, b) > 0;
}

/* @psn in [@start, @start + @n) modulo 2^24 (n <= 2^24). */
static inline bool psn_in_range(u32 psn, u32 start, u32 n)
{
	return ((psn - start) & PSN_MASK) < n;
}

/* Where a request PSN falls relative to the responder's expected PSN. */
enum psn_class {
	PSN_EXPECTED,		/* == ePSN: execute it */
	PSN_DUPLICATE,		/* behind ePSN: re-ACK or replay */
	PSN_AHEAD,		/* ahead of ePSN: one NAK-sequence, then drop */
};

static inline enum psn_class psn_classify(u32 psn, u32 epsn)
{
	s32 d = psn_diff(psn, epsn);

	if (!d)
		return PSN_EXPECTED;
	return d < 0 ? PSN_DUPLICATE : PSN_AHEAD;
}

/*
 * Requester: is @psn one we sent and that is not yet acknowledged, i.e. in
 * [@una, @next)?  Responses outside it are stale duplicates (before @una)
 * or acknowledge what was never sent (at or after @next).
 */
static inline bool psn_outstanding(u32 psn, u32 una, u32 next)
{
	return psn_in_range(psn, una, (next - una) & PSN_MASK);
}

#endif /* _SROCE_PSN_H */
