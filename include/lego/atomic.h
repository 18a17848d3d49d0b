/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ATOMIC_H
#define _LEGO_ATOMIC_H
#include <asm/atomic.h>
#endif
