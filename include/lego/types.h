/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width and kernel types.
 *
 * Built from the compiler's predefined macros so that the same header works
 * in the freestanding kernel and in hosted unit tests (where these typedefs
 * are identical to the C library's, which C11 allows to be repeated).
 */
#ifndef _LEGO_TYPES_H
#define _LEGO_TYPES_H

typedef __UINT8_TYPE__		u8;
typedef __UINT16_TYPE__		u16;
typedef __UINT32_TYPE__		u32;
typedef __UINT64_TYPE__		u64;
typedef __INT8_TYPE__		s8;
typedef __INT16_TYPE__		s16;
typedef __INT32_TYPE__		s32;
typedef __INT64_TYPE__		s64;

typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef long			ssize_t;

typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;

/* Big/little-endian annotated integers (documentation only for now). */
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;

typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;

#ifndef __cplusplus
#ifndef bool
#define bool	_Bool
#define true	1
#define false	0
#endif
#endif

#ifndef NULL
#define NULL	((void *)0)
#endif

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))
#ifndef INT_MAX
#define INT_MAX		((int)(~0U >> 1))
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(~0U)
#define LONG_MAX	((long)(~0UL >> 1))
#define LONG_MIN	(-LONG_MAX - 1)
#define ULONG_MAX	(~0UL)
#endif
#define SIZE_MAX_LEGO	(~(size_t)0)

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#endif /* _LEGO_TYPES_H */
