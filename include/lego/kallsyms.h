/* SPDX-License-Identifier: GPL-2.0 */
/* The embedded symbol table (scripts/kallsyms.py, kernel/kallsyms.c). */
#ifndef _LEGO_KALLSYMS_H
#define _LEGO_KALLSYMS_H

/* Address of the text symbol @name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);

#endif /* _LEGO_KALLSYMS_H */
