/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot parameters: typed `name=value` words on the kernel command line,
 * registered in the .lego_params linker section next to the variable they
 * set.  Names carry their subsystem prefix (lego.node, net.ip, ktest, ...).
 *
 *	static unsigned int lego_node;
 *	lego_param_uint("lego.node", lego_node, "this node's id in the cluster");
 *
 * An unknown name, or a value that does not parse, is reported on the
 * console with the list of valid parameters, and boot continues with the
 * variable's default.  Early parameters are applied before anything else
 * runs (console selection); the rest right after the memory allocators are
 * up, so callbacks may allocate.
 */
#ifndef _LEGO_PARAMS_H
#define _LEGO_PARAMS_H

#include <lego/compiler.h>
#include <lego/types.h>

enum param_type {
	PARAM_BOOL,	/* 1/0, y/n, yes/no, on/off, true/false; bare name = 1 */
	PARAM_INT,
	PARAM_UINT,
	PARAM_ULONG,
	PARAM_U64,
	PARAM_SIZE,	/* unsigned with an optional K/M/G/T suffix */
	PARAM_STRING,	/* copied into a char array, truncation is an error */
	PARAM_CALLBACK,	/* set(value) returns 0 or a negative errno */
};

struct kernel_param {
	const char *name;
	enum param_type type;
	bool early;
	void *var;
	size_t size;			/* PARAM_STRING: capacity of var */
	int (*set)(const char *val);	/* PARAM_CALLBACK */
	const char *desc;
};

#define __lego_param(_name, _type, _early, _var, _size, _set, _desc, id) \
	static const struct kernel_param __param_##id			\
	__used __section(".lego_params") __aligned(8) = {		\
		.name = _name, .type = _type, .early = _early,		\
		.var = _var, .size = _size, .set = _set, .desc = _desc,	\
	}

#define lego_param_bool(name, v, desc) \
	__lego_param(name, PARAM_BOOL, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_int(name, v, desc) \
	__lego_param(name, PARAM_INT, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_uint(name, v, desc) \
	__lego_param(name, PARAM_UINT, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_ulong(name, v, desc) \
	__lego_param(name, PARAM_ULONG, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_u64(name, v, desc) \
	__lego_param(name, PARAM_U64, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_size(name, v, desc) \
	__lego_param(name, PARAM_SIZE, false, &(v), sizeof(v), NULL, desc, v)
#define lego_param_string(name, v, desc) \
	__lego_param(name, PARAM_STRING, false, v, sizeof(v), NULL, desc, v)
#define lego_param_cb(name, fn, desc) \
	__lego_param(name, PARAM_CALLBACK, false, NULL, 0, fn, desc, fn)
#define lego_early_param_cb(name, fn, desc) \
	__lego_param(name, PARAM_CALLBACK, true, NULL, 0, fn, desc, fn)

/*
 * Parse @cmdline and apply every parameter whose `early` flag equals
 * @early.  Returns the number of words that were unknown or malformed
 * (each already reported).  Pure logic: host-tested in tests/host.
 */
int params_parse(const char *cmdline, bool early,
		 const struct kernel_param *start,
		 const struct kernel_param *end);

/* The kernel's own table, applied to the boot command line. */
void parse_early_params(void);
void parse_boot_params(void);
extern char boot_command_line[];

#endif /* _LEGO_PARAMS_H */
