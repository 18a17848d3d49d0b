/* SPDX-License-Identifier: GPL-2.0 */
/* Errors encoded in pointers: the top MAX_ERRNO addresses are never valid. */
#ifndef _LEGO_ERR_H
#define _LEGO_ERR_H

#include <lego/compiler.h>
#include <lego/errno.h>
#include <lego/types.h>

#define IS_ERR_VALUE(x)	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((unsigned long)ptr);
}

#endif /* _LEGO_ERR_H */
