/* SPDX-License-Identifier: GPL-2.0 */
/* Constants usable from both C and assembly. */
#ifndef _LEGO_CONST_H
#define _LEGO_CONST_H

#ifdef __ASSEMBLY__
#define _AC(x, y)	x
#else
#define __AC(x, y)	(x##y)
#define _AC(x, y)	__AC(x, y)
#endif

#define _BITUL(n)	(_AC(1, UL) << (n))

#endif /* _LEGO_CONST_H */
